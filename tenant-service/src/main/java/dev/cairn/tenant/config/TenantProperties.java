package dev.cairn.tenant.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the tenant service ({@code cairn.tenant.*}).
 *
 * @param keyEncryptionKey   base64 of 32 random bytes that encrypt the token signing keys at rest
 *                           ({@code CAIRN_TENANT_KEYENCRYPTIONKEY}); required, never generated
 * @param keyEncryptionKeyFile the same, read from a file (Docker/Kubernetes secrets)
 * @param tokens             token lifetimes and signing-key rotation
 * @param login              failed-login throttling
 * @param servicePrincipals  Cairn's own services, provisioned at start
 */
@Validated
@ConfigurationProperties("cairn.tenant")
public record TenantProperties(String keyEncryptionKey, Path keyEncryptionKeyFile, @DefaultValue @Valid Tokens tokens,
        @DefaultValue @Valid Login login, @DefaultValue List<ProvisionedPrincipal> servicePrincipals) {

    public TenantProperties {
        servicePrincipals = List.copyOf(servicePrincipals);
    }

    /**
     * @param accessLifetime        lifetime of user and service access tokens
     * @param refreshLifetime       lifetime of a refresh token
     * @param keyRotationPeriod     a signing key is replaced when older than this
     * @param keyOverlap            a new key is published this long before it signs, so that
     *                              every verifier's JWKS cache has it in time
     * @param keyRefreshInterval    how often replicas reload the keys from the database
     */
    public record Tokens(@DefaultValue("15m") Duration accessLifetime, @DefaultValue("14d") Duration refreshLifetime,
            @DefaultValue("30d") Duration keyRotationPeriod, @DefaultValue("10m") Duration keyOverlap,
            @DefaultValue("30s") Duration keyRefreshInterval) {
    }

    public enum OnFailure { DENY, ALLOW }

    /**
     * @param freeAttempts       failed logins allowed before an account is locked
     * @param firstLock          lock after the first failure past the free ones; doubles each time
     * @param maxLock            longest lock
     * @param window             failures older than this are forgotten
     * @param onCounterFailure   when Redis cannot count: {@code deny} (503) or {@code allow}
     */
    public record Login(@DefaultValue("5") @Min(0) int freeAttempts, @DefaultValue("30s") Duration firstLock, @DefaultValue("15m") Duration maxLock,
            @DefaultValue("30m") Duration window, @DefaultValue("deny") OnFailure onCounterFailure) {
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
