package dev.cairn.tenant.token;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.UUID;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import dev.cairn.platform.auth.AuthProperties;
import dev.cairn.platform.auth.Jws;
import dev.cairn.tenant.config.TenantProperties;

/**
 * Mints access tokens (RFC 9068 profile: {@code typ} at+jwt) signed with the current key:
 * {@code iss}, {@code aud}, {@code sub}, {@code exp}, {@code iat}, {@code nbf}, {@code jti},
 * {@code org_id}, {@code token_type}, and {@code roles} and {@code sid} for users or
 * {@code scope} for services.
 */
public class TokenIssuer {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public record Issued(String token, String tokenId, Instant expiresAt, long expiresInSeconds) {
        @Override
        public String toString() {
            return "Issued[tokenId=" + tokenId + ", expiresAt=" + expiresAt + "]";
        }
    }

    private final SigningKeys keys;
    private final AuthProperties auth;
    private final TenantProperties.Tokens tokens;
    private final Clock clock;

    public TokenIssuer(SigningKeys keys, AuthProperties auth, TenantProperties.Tokens tokens, Clock clock) {
        this.keys = keys;
        this.auth = auth;
        this.tokens = tokens;
        this.clock = clock;
    }

    public Issued forUser(UUID userId, UUID organizationId, Collection<String> roles, UUID sessionId) {
        ObjectNode claims = base(userId.toString(), organizationId, "user");
        ArrayNode roleArray = claims.putArray("roles");
        roles.forEach(roleArray::add);
        claims.put("sid", sessionId.toString());
        return sign(claims);
    }

    public Issued forService(String clientId, UUID organizationId, Collection<String> scopes) {
        ObjectNode claims = base(clientId, organizationId, "service");
        claims.put("scope", String.join(" ", scopes));
        return sign(claims);
    }

    private ObjectNode base(String subject, UUID organizationId, String type) {
        Instant now = clock.instant();
        ObjectNode claims = JSON.createObjectNode();
        claims.put("iss", auth.issuer());
        claims.put("aud", auth.audience());
        claims.put("sub", subject);
        if (organizationId != null) {
            claims.put("org_id", organizationId.toString());
        }
        claims.put("token_type", type);
        claims.put("iat", now.getEpochSecond());
        claims.put("nbf", now.getEpochSecond());
        claims.put("exp", now.plus(tokens.accessLifetime()).getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        return claims;
    }

    private Issued sign(ObjectNode claims) {
        SigningKeys.SigningKey key = keys.current();
        String token = Jws.sign(key.kid(), key.privateKey(), claims);
        Instant expiresAt = Instant.ofEpochSecond(claims.get("exp").asLong());
        return new Issued(token, claims.get("jti").asString(), expiresAt, tokens.accessLifetime().toSeconds());
    }
}
