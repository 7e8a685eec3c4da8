package dev.cairn.platform.auth;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How this process checks access tokens ({@code cairn.auth.*}).
 *
 * @param issuer       expected {@code iss} ({@code CAIRN_AUTH_ISSUER})
 * @param audience     expected {@code aud} ({@code CAIRN_AUTH_AUDIENCE})
 * @param jwksUris     where the tenant service publishes its keys; tried in order
 *                     ({@code CAIRN_AUTH_JWKSURIS}, comma-separated)
 * @param clockSkew    tolerance on exp, nbf and iat
 * @param maxTokenLifetime the longest an access token can live (bounds revocation entries)
 * @param publicPaths  paths that need no token (patterns, e.g. {@code /api/auth/login})
 * @param adminPaths   paths for administrators: a token whose revocation cannot be checked is
 *                     always refused there
 * @param revocation   what to do when the revocation list cannot be read
 * @param client       this service's own identity, for client-credentials tokens
 * @param enabled      servlet services check bearer tokens ({@code CAIRN_AUTH_ENABLED}, default true)
 */
@Validated
@ConfigurationProperties("cairn.auth")
public record AuthProperties(@DefaultValue("cairn") String issuer, @DefaultValue("cairn") String audience,
        @DefaultValue("http://127.0.0.1:8081/.well-known/jwks.json") List<URI> jwksUris, @DefaultValue("30s") Duration clockSkew,
        @DefaultValue("1h") Duration maxTokenLifetime, @DefaultValue List<String> publicPaths, @DefaultValue List<String> adminPaths,
        @DefaultValue @Valid Revocation revocation, @DefaultValue @Valid Client client, @DefaultValue("true") boolean enabled) {

    public AuthProperties {
        jwksUris = List.copyOf(jwksUris);
        publicPaths = List.copyOf(publicPaths);
        adminPaths = List.copyOf(adminPaths);
    }

    public enum OnFailure { DENY, ALLOW }

    /**
     * @param onStoreFailure for ordinary paths when Redis cannot be read: {@code deny} answers
     *                       503, {@code allow} lets a verified token through unchecked (logged
     *                       and counted). Administrator paths always deny.
     */
    public record Revocation(@DefaultValue("deny") OnFailure onStoreFailure) {
    }

    /**
     * @param id        client id of this service's principal ({@code CAIRN_AUTH_CLIENT_ID})
     * @param secret    its secret ({@code CAIRN_AUTH_CLIENT_SECRET}; never in a file in the repo)
     * @param tokenUris the client-credentials endpoint(s), tried in order
     */
    public record Client(String id, String secret, @DefaultValue List<URI> tokenUris) {
        public Client {
            tokenUris = List.copyOf(tokenUris);
        }

        @Override
        public String toString() {
            return "Client[id=" + id + ", secret=" + (secret == null ? "unset" : "(set)") + ", tokenUris=" + tokenUris + "]";
        }
    }
}
