package dev.cairn.platform.auth;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How this process checks access tokens ({@code cairn.auth.*}).
 *
 * @param issuer       expected {@code iss} ({@code CAIRN_AUTH_ISSUER})
 * @param audience     expected {@code aud} ({@code CAIRN_AUTH_AUDIENCE})
 * @param jwksUris     where the tenant service publishes its keys; tried in order
 *                     ({@code CAIRN_AUTH_JWKS_URIS}, comma-separated)
 * @param clockSkew    tolerance on exp, nbf and iat
 * @param maxTokenLifetime the longest an access token can live (bounds revocation entries)
 * @param publicPaths  paths that need no token (patterns, e.g. {@code /api/auth/login})
 * @param adminPaths   paths for administrators: a token whose revocation cannot be checked is
 *                     always refused there
 * @param revocation   what to do when the revocation list cannot be read
 * @param client       this service's own identity, for client-credentials tokens
 * @param enabled      servlet services check bearer tokens ({@code CAIRN_AUTH_ENABLED}, default true)
 */
@ConfigurationProperties("cairn.auth")
public record AuthProperties(String issuer, String audience, List<URI> jwksUris, Duration clockSkew, Duration maxTokenLifetime,
        List<String> publicPaths, List<String> adminPaths, Revocation revocation, Client client, Boolean enabled) {

    public AuthProperties {
        issuer = issuer == null ? "cairn" : issuer;
        audience = audience == null ? "cairn" : audience;
        jwksUris = jwksUris == null ? List.of() : List.copyOf(jwksUris);
        clockSkew = clockSkew == null ? Duration.ofSeconds(30) : clockSkew;
        maxTokenLifetime = maxTokenLifetime == null ? Duration.ofHours(1) : maxTokenLifetime;
        publicPaths = publicPaths == null ? List.of() : List.copyOf(publicPaths);
        adminPaths = adminPaths == null ? List.of() : List.copyOf(adminPaths);
        revocation = revocation == null ? new Revocation(null) : revocation;
        client = client == null ? new Client(null, null, null) : client;
        enabled = enabled == null || enabled;
    }

    public enum OnFailure { DENY, ALLOW }

    /**
     * @param onStoreFailure for ordinary paths when Redis cannot be read: {@code deny} answers
     *                       503, {@code allow} lets a verified token through unchecked (logged
     *                       and counted). Administrator paths always deny.
     */
    public record Revocation(OnFailure onStoreFailure) {
        public Revocation {
            onStoreFailure = onStoreFailure == null ? OnFailure.DENY : onStoreFailure;
        }
    }

    /**
     * @param id        client id of this service's principal ({@code CAIRN_AUTH_CLIENT_ID})
     * @param secret    its secret ({@code CAIRN_AUTH_CLIENT_SECRET}; never in a file in the repo)
     * @param tokenUris the client-credentials endpoint(s), tried in order
     */
    public record Client(String id, String secret, List<URI> tokenUris) {
        public Client {
            tokenUris = tokenUris == null ? List.of() : List.copyOf(tokenUris);
        }

        @Override
        public String toString() {
            return "Client[id=" + id + ", secret=" + (secret == null ? "unset" : "(set)") + ", tokenUris=" + tokenUris + "]";
        }
    }
}
