package dev.cairn.tenant.principal;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cairn.tenant.config.TenantProperties;
import dev.cairn.tenant.user.Passwords;

/**
 * Creates or updates the service principals of Cairn's own services from configuration, so
 * that every service can obtain a client-credentials token from its first boot. Idempotent,
 * and safe when several tenant replicas run it at once.
 */
public class SystemPrincipalProvisioner {

    private static final Logger log = LoggerFactory.getLogger(SystemPrincipalProvisioner.class);

    private final ServicePrincipals principals;
    private final Passwords passwords;
    private final Clock clock;

    public SystemPrincipalProvisioner(ServicePrincipals principals, Passwords passwords, Clock clock) {
        this.principals = principals;
        this.passwords = passwords;
        this.clock = clock;
    }

    public void provision(List<TenantProperties.ProvisionedPrincipal> configured) {
        for (TenantProperties.ProvisionedPrincipal wanted : configured) {
            String secret = secretOf(wanted);
            if (wanted.clientId() == null || wanted.clientId().isBlank()) {
                throw new IllegalStateException("cairn.tenant.service-principals: an entry has no client-id");
            }
            if (secret == null) {
                log.warn("No secret configured for service principal {}; it is not provisioned", wanted.clientId());
                continue;
            }
            Set<String> unknown = new TreeSet<>(wanted.scopes());
            unknown.removeAll(Scopes.ALL);
            if (!unknown.isEmpty()) {
                throw new IllegalStateException("Service principal " + wanted.clientId() + " has unknown scopes " + unknown);
            }
            Instant now = clock.instant();
            var existing = principals.findByClientId(wanted.clientId());
            if (existing.isEmpty()) {
                boolean created = principals.insertIfAbsent(new ServicePrincipal(UUID.randomUUID(), null, wanted.clientId(),
                        wanted.clientId(), passwords.patiently().hash(secret), List.copyOf(new TreeSet<>(wanted.scopes())), true, "active", now, now));
                if (created) {
                    log.info("Provisioned service principal {} with scopes {}", wanted.clientId(), wanted.scopes());
                }
                continue;
            }
            ServicePrincipal current = existing.get();
            if (!current.system()) {
                throw new IllegalStateException("Client id " + wanted.clientId() + " belongs to an organisation's principal");
            }
            List<String> scopes = List.copyOf(new TreeSet<>(wanted.scopes()));
            boolean sameSecret = passwords.patiently().matches(secret, current.secretHash());
            if (!sameSecret || !scopes.equals(current.scopes()) || !current.active()) {
                principals.update(new ServicePrincipal(current.id(), null, current.clientId(), current.name(),
                        sameSecret ? current.secretHash() : passwords.patiently().hash(secret), scopes, true, "active", current.createdAt(), now));
                log.info("Updated service principal {} ({})", wanted.clientId(), sameSecret ? "scopes" : "secret rotated");
            }
        }
    }

    private static String secretOf(TenantProperties.ProvisionedPrincipal principal) {
        if (principal.secret() != null && !principal.secret().isBlank()) {
            return principal.secret().trim();
        }
        if (principal.secretFile() != null) {
            try {
                String secret = Files.readString(principal.secretFile()).trim();
                return secret.isEmpty() ? null : secret;
            } catch (IOException e) {
                throw new IllegalStateException("Cannot read the secret file of service principal " + principal.clientId(), e);
            }
        }
        return null;
    }
}
