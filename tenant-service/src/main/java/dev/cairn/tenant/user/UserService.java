package dev.cairn.tenant.user;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.cairn.platform.auth.Access;
import dev.cairn.platform.auth.Caller;
import dev.cairn.platform.auth.RevocationList;
import dev.cairn.platform.web.Page;
import dev.cairn.platform.problem.ApiException;
import dev.cairn.tenant.auth.RefreshTokens;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Users of an organisation, managed by its Administrators. Users of another organisation are
 * reported as not found. Disabling a user, changing their password or their roles ends their
 * sessions and invalidates their access tokens on every replica.
 */
@Service
public class UserService {

    public static final Set<String> ROLES = Set.of(Caller.SYSTEM_ADMIN, Caller.ADMINISTRATOR, Caller.DESIGNER, Caller.AUDITOR, Caller.MEMBER);

    private final Users users;
    private final Passwords passwords;
    private final RefreshTokens refreshTokens;
    private final RevocationList revocations;
    private final Clock clock;

    public UserService(Users users, Passwords passwords, RefreshTokens refreshTokens, RevocationList revocations, Clock clock) {
        this.users = users;
        this.passwords = passwords;
        this.refreshTokens = refreshTokens;
        this.revocations = revocations;
        this.clock = clock;
    }

    @Transactional
    public User create(Caller caller, String email, String displayName, String password, List<String> roles) {
        Access.requireAdministrator(caller);
        List<String> granted = checkRoles(caller, roles);
        if (users.emailTaken(email)) {
            throw ApiException.conflict("email-unavailable", "This email cannot be used for a new account");
        }
        Instant now = clock.instant();
        User user = new User(UUID.randomUUID(), UUID.fromString(caller.orgId()), email, displayName, passwords.hash(password), granted,
                User.ACTIVE, now, now);
        try {
            users.insert(user);
        } catch (DuplicateKeyException e) {
            throw ApiException.conflict("email-unavailable", "This email cannot be used for a new account");
        }
        return user;
    }

    /** The users of the caller's organisation, a page at a time. */
    public Page<User> list(Caller caller, int page, int size) {
        Access.requireUser(caller);
        UUID organization = UUID.fromString(caller.orgId());
        return new Page<>(users.page(organization, page * size, size), page, size, users.count(organization));
    }

    /** The caller's own account, with the name of its organisation. */
    public User me(Caller caller) {
        return users.find(UUID.fromString(caller.subject())).orElseThrow(() -> ApiException.notFound("User"));
    }

    /** A user of the caller's organisation: any member may look up colleagues. */
    public User get(Caller caller, UUID id) {
        Access.requireUser(caller);
        User user = users.find(id).orElseThrow(() -> ApiException.notFound("User " + id));
        if (!caller.belongsTo(user.organizationId().toString())) {
            throw ApiException.notFound("User " + id);
        }
        return user;
    }

    @Transactional
    public User update(Caller caller, UUID id, String displayName, List<String> roles, String status, String password) {
        Access.requireAdministrator(caller);
        User user = get(caller, id);
        boolean endSessions = false;
        List<String> newRoles = user.roles();
        if (roles != null) {
            newRoles = checkRoles(caller, roles);
            if (user.roles().contains(Caller.SYSTEM_ADMIN) && !newRoles.contains(Caller.SYSTEM_ADMIN)) {
                Access.requireSystemAdmin(caller);
            }
            endSessions |= !newRoles.equals(user.roles());
        }
        String newStatus = user.status();
        if (status != null) {
            if (!status.equals(User.ACTIVE) && !status.equals(User.DISABLED)) {
                throw ApiException.badRequest("invalid-status", "status must be 'active' or 'disabled'");
            }
            if (status.equals(User.DISABLED) && user.id().toString().equals(caller.subject())) {
                throw ApiException.conflict("cannot-disable-self", "Administrators cannot disable their own account");
            }
            endSessions |= status.equals(User.DISABLED) && user.active();
            newStatus = status;
        }
        String hash = user.passwordHash();
        if (password != null) {
            hash = passwords.hash(password);
            endSessions = true;
        }
        Instant now = clock.instant();
        User updated = new User(user.id(), user.organizationId(), user.email(), displayName != null ? displayName : user.displayName(),
                hash, newRoles, newStatus, user.createdAt(), now);
        users.update(updated);
        if (endSessions) {
            endSessions(updated.id(), now);
        }
        return updated;
    }

    /** Ends every session of the user and invalidates every access token issued to them so far. */
    public void endSessions(UUID userId, Instant now) {
        refreshTokens.revokeUser(userId, now);
        revocations.revokeSubject(userId.toString(), now);
    }

    private static List<String> checkRoles(Caller caller, List<String> roles) {
        Set<String> granted = new LinkedHashSet<>();
        for (String role : roles) {
            if (!ROLES.contains(role)) {
                throw ApiException.badRequest("invalid-role", "Unknown role '" + role + "'; roles are " + ROLES);
            }
            granted.add(role);
        }
        if (granted.isEmpty()) {
            throw ApiException.badRequest("invalid-role", "A user needs at least one role");
        }
        if (granted.contains(Caller.SYSTEM_ADMIN)) {
            Access.requireSystemAdmin(caller);
        }
        return List.copyOf(granted);
    }
}
