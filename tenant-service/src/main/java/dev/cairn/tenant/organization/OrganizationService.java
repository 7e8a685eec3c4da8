package dev.cairn.tenant.organization;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.cairn.platform.auth.Access;
import dev.cairn.platform.auth.Caller;
import dev.cairn.platform.problem.ApiException;
import dev.cairn.platform.web.Page;
import dev.cairn.tenant.user.Passwords;
import dev.cairn.tenant.user.User;
import dev.cairn.tenant.user.Users;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class OrganizationService {

    public record Created(Organization organization, User administrator) {
    }

    private final Organizations organizations;
    private final Users users;
    private final Passwords passwords;
    private final Clock clock;

    public OrganizationService(Organizations organizations, Users users, Passwords passwords, Clock clock) {
        this.organizations = organizations;
        this.users = users;
        this.passwords = passwords;
        this.clock = clock;
    }

    /**
     * The first organisation and its administrator (SystemAdmin and Administrator); once only.
     * Two bootstraps arriving together: the installation row's primary key lets one through.
     */
    @Transactional
    public Created bootstrap(String organizationName, String adminEmail, String adminPassword, String adminName) {
        if (organizations.bootstrapped()) {
            throw alreadyBootstrapped();
        }
        Created created = create(organizationName, adminEmail, adminPassword, adminName, List.of(Caller.SYSTEM_ADMIN, Caller.ADMINISTRATOR));
        try {
            organizations.markBootstrapped(created.organization().id(), created.organization().createdAt());
        } catch (DuplicateKeyException e) {
            throw alreadyBootstrapped();
        }
        return created;
    }

    /** Another organisation with its first Administrator. */
    @Transactional
    public Created create(String name, String adminEmail, String adminPassword, String adminName, List<String> adminRoles) {
        if (organizations.nameTaken(name)) {
            throw ApiException.conflict("organization-exists", "An organisation with this name exists already");
        }
        if (users.emailTaken(adminEmail)) {
            throw ApiException.conflict("email-unavailable", "This email cannot be used for a new account");
        }
        Instant now = clock.instant();
        Organization organization = new Organization(UUID.randomUUID(), name, "active", now);
        User admin = new User(UUID.randomUUID(), organization.id(), adminEmail, adminName, passwords.hash(adminPassword), adminRoles,
                User.ACTIVE, now, now);
        try {
            organizations.insert(organization);
            users.insert(admin);
        } catch (DuplicateKeyException e) {
            throw ApiException.conflict("organization-exists", "An organisation with this name or an account with this email exists already");
        }
        return new Created(organization, admin);
    }

    /** The caller's own organisation. */
    public Organization mine(Caller caller) {
        Access.requireUser(caller);
        return organizations.find(UUID.fromString(caller.orgId())).orElseThrow(() -> ApiException.notFound("Organisation"));
    }

    /** Every organisation of the installation, a page at a time (SystemAdmin only). */
    public Page<Organization> list(Caller caller, int page, int size) {
        Access.requireSystemAdmin(caller);
        return new Page<>(organizations.page(page * size, size), page, size, organizations.count());
    }

    /** An organisation: the caller's own, or any for a SystemAdmin; to anyone else it does not exist. */
    public Organization get(Caller caller, UUID id) {
        if (!caller.isSystemAdmin() && !caller.belongsTo(id.toString())) {
            throw ApiException.notFound("Organisation " + id);
        }
        return organizations.find(id).orElseThrow(() -> ApiException.notFound("Organisation " + id));
    }

    /** An organisation's name, when it exists. */
    public Optional<String> name(UUID id) {
        return organizations.find(id).map(Organization::name);
    }

    private static ApiException alreadyBootstrapped() {
        return ApiException.conflict("already-bootstrapped", "This installation has been bootstrapped already");
    }
}
