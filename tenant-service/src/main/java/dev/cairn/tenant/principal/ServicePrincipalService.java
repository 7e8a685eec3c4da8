package dev.cairn.tenant.principal;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import dev.cairn.platform.auth.Access;
import dev.cairn.platform.auth.Caller;
import dev.cairn.platform.web.Page;
import dev.cairn.platform.problem.ApiException;
import dev.cairn.tenant.user.Passwords;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** An organisation's own service principals (integrations), managed by its Administrators. */
@Service
public class ServicePrincipalService {

    /** A principal with its secret, which is shown this once and stored only hashed. */
    public record WithSecret(ServicePrincipal principal, String clientSecret) {
        @Override
        public String toString() {
            return "WithSecret[" + principal + "]";
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ServicePrincipals principals;
    private final Passwords passwords;
    private final Clock clock;

    public ServicePrincipalService(ServicePrincipals principals, Passwords passwords, Clock clock) {
        this.principals = principals;
        this.passwords = passwords;
        this.clock = clock;
    }

    @Transactional
    public WithSecret create(Caller caller, String name, List<String> scopes) {
        Access.requireAdministrator(caller);
        List<String> granted = checkScopes(scopes);
        String secret = newSecret();
        Instant now = clock.instant();
        ServicePrincipal principal = new ServicePrincipal(UUID.randomUUID(), UUID.fromString(caller.orgId()), "sp_" + randomId(),
                name, passwords.hash(secret), granted, false, "active", now, now);
        principals.insert(principal);
        return new WithSecret(principal, secret);
    }

    /** The service principals of the caller's organisation, a page at a time (administrators). */
    public Page<ServicePrincipal> list(Caller caller, int page, int size) {
        Access.requireAdministrator(caller);
        UUID organization = UUID.fromString(caller.orgId());
        return new Page<>(principals.page(organization, page * size, size), page, size, principals.count(organization));
    }

    /**
     * The active principal whose client id and secret these are; empty otherwise. An unknown
     * client id costs the same time as a wrong secret, so that neither can be told from the other.
     */
    public Optional<ServicePrincipal> authenticate(String clientId, String clientSecret) {
        Optional<ServicePrincipal> found = principals.findByClientId(clientId);
        if (found.isEmpty()) {
            passwords.burn();
            return Optional.empty();
        }
        ServicePrincipal principal = found.get();
        return passwords.matches(clientSecret, principal.secretHash()) && principal.active() ? found : Optional.empty();
    }

    public ServicePrincipal get(Caller caller, UUID id) {
        Access.requireAdministrator(caller);
        ServicePrincipal principal = principals.find(id).orElseThrow(() -> ApiException.notFound("Service principal " + id));
        if (principal.organizationId() == null || !caller.belongsTo(principal.organizationId().toString())) {
            throw ApiException.notFound("Service principal " + id);
        }
        return principal;
    }

    @Transactional
    public WithSecret rotateSecret(Caller caller, UUID id) {
        ServicePrincipal principal = get(caller, id);
        String secret = newSecret();
        ServicePrincipal updated = new ServicePrincipal(principal.id(), principal.organizationId(), principal.clientId(), principal.name(),
                passwords.hash(secret), principal.scopes(), false, principal.status(), principal.createdAt(), clock.instant());
        principals.update(updated);
        return new WithSecret(updated, secret);
    }

    @Transactional
    public void disable(Caller caller, UUID id) {
        ServicePrincipal principal = get(caller, id);
        principals.update(new ServicePrincipal(principal.id(), principal.organizationId(), principal.clientId(), principal.name(),
                principal.secretHash(), principal.scopes(), false, "disabled", principal.createdAt(), clock.instant()));
    }

    private static List<String> checkScopes(List<String> scopes) {
        Set<String> granted = new TreeSet<>();
        for (String scope : scopes) {
            if (!Scopes.FOR_ORGANISATIONS.contains(scope)) {
                throw ApiException.badRequest("invalid-scope", "Scope '" + scope + "' cannot be granted; available: "
                        + new TreeSet<>(Scopes.FOR_ORGANISATIONS));
            }
            granted.add(scope);
        }
        return List.copyOf(granted);
    }

    private static String newSecret() {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private static String randomId() {
        byte[] random = new byte[12];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random).replace('-', 'x').replace('_', 'y');
    }
}
