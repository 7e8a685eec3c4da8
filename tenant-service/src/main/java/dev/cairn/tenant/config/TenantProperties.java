package dev.cairn.tenant.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the tenant service ({@code cairn.tenant.*}).
 *
 * @param keyEncryptionKey   base64 of 32 random bytes that encrypt the token signing keys at rest
 *                           ({@code CAIRN_TENANT_KEY_ENCRYPTION_KEY}); required, never generated
 * @param keyEncryptionKeyFile the same, read from a file (Docker/Kubernetes secrets)
 * @param tokens             token lifetimes and signing-key rotation
 * @param login              failed-login throttling
 * @param servicePrincipals  Cairn's own services, provisioned at start
 */
@ConfigurationProperties("cairn.tenant")
public record TenantProperties(String keyEncryptionKey, Path keyEncryptionKeyFile, Tokens tokens, Login login,
        List<ProvisionedPrincipal> servicePrincipals) {

    public TenantProperties {
        tokens = tokens == null ? new Tokens(null, null, null, null, null) : tokens;
        login = login == null ? new Login(null, null, null, null, null) : login;
        servicePrincipals = servicePrincipals == null ? List.of() : List.copyOf(servicePrincipals);
    }

    /**
     * @param accessLifetime        lifetime of user and service access tokens (default 15 min)
     * @param refreshLifetime       lifetime of a refresh token (default 14 days)
     * @param keyRotationPeriod     a signing key is replaced when older than this (default 30 days)
     * @param keyOverlap            a new key is published this long before it signs, so that
     *                              every verifier's JWKS cache has it in time (default 10 min)
     * @param keyRefreshInterval    how often replicas reload the keys from the database
     */
    public record Tokens(Duration accessLifetime, Duration refreshLifetime, Duration keyRotationPeriod, Duration keyOverlap,
            Duration keyRefreshInterval) {
        public Tokens {
            accessLifetime = accessLifetime == null ? Duration.ofMinutes(15) : accessLifetime;
            refreshLifetime = refreshLifetime == null ? Duration.ofDays(14) : refreshLifetime;
            keyRotationPeriod = keyRotationPeriod == null ? Duration.ofDays(30) : keyRotationPeriod;
            keyOverlap = keyOverlap == null ? Duration.ofMinutes(10) : keyOverlap;
            keyRefreshInterval = keyRefreshInterval == null ? Duration.ofSeconds(30) : keyRefreshInterval;
        }
    }

    public enum OnFailure { DENY, ALLOW }

    /**
     * @param freeAttempts       failed logins allowed before an account is locked
     * @param firstLock          lock after the first failure past the free ones; doubles each time
     * @param maxLock            longest lock
     * @param window             failures older than this are forgotten
     * @param onCounterFailure   when Redis cannot count: {@code deny} (503, default) or {@code allow}
     */
    public record Login(Integer freeAttempts, Duration firstLock, Duration maxLock, Duration window, OnFailure onCounterFailure) {
        public Login {
            freeAttempts = freeAttempts == null ? 5 : freeAttempts;
            firstLock = firstLock == null ? Duration.ofSeconds(30) : firstLock;
            maxLock = maxLock == null ? Duration.ofMinutes(15) : maxLock;
            window = window == null ? Duration.ofMinutes(30) : window;
            onCounterFailure = onCounterFailure == null ? OnFailure.DENY : onCounterFailure;
        }
    }

    /**
     * @param clientId   the service's client id
     * @param secret     its secret (from an environment variable)
     * @param secretFile or from a file
     * @param scopes     what its tokens may do
     */
    public record ProvisionedPrincipal(String clientId, String secret, Path secretFile, List<String> scopes) {
        public ProvisionedPrincipal {
            scopes = scopes == null ? List.of() : List.copyOf(scopes);
        }

        @Override
        public String toString() {
            return "ProvisionedPrincipal[clientId=" + clientId + ", scopes=" + scopes + "]";
        }
    }

    @Override
    public String toString() {
        return "TenantProperties[tokens=" + tokens + ", login=" + login + ", servicePrincipals=" + servicePrincipals + "]";
    }
}
