package dev.cairn.tenant.organization;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.cairn.platform.auth.Caller;
import dev.cairn.platform.problem.ApiException;
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

    private static ApiException alreadyBootstrapped() {
        return ApiException.conflict("already-bootstrapped", "This installation has been bootstrapped already");
    }
}
