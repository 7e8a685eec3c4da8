package dev.cairn.platform.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.cairn.ledger.crypto.Ed25519;

/**
 * Verifies Cairn access tokens locally: EdDSA only, {@code typ} at+jwt, a known key id,
 * issuer, audience, and time claims within a small clock skew. A verified token is remembered
 * (bounded), so a client that reuses its token pays for the signature check once; time claims
 * are checked again on every use. Revocation is a separate, per-request check
 * ({@link RevocationList}).
 */
public class TokenVerifier {

    private final KeySource keys;
    private final String issuer;
    private final String audience;
    private final Duration clockSkew;
    private final Clock clock;
    private final int cacheSize;
    private final Map<String, Verified> verified;

    private record Verified(Caller caller, String keyId, Instant notBefore) {
    }

    public TokenVerifier(KeySource keys, String issuer, String audience, Duration clockSkew, Clock clock, int cacheSize) {
        this.keys = keys;
        this.issuer = issuer;
        this.audience = audience;
        this.clockSkew = clockSkew;
        this.clock = clock;
        this.cacheSize = cacheSize;
        this.verified = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Verified> eldest) {
                return size() > TokenVerifier.this.cacheSize;
            }
        };
    }

    /**
     * The caller of a token verified before, without any I/O; null when it has to be verified
     * ({@link #verify}), which may fetch keys.
     *
     * @throws InvalidTokenException when the remembered token has expired since
     */
    public Caller verifiedBefore(String token) {
        Verified known;
        synchronized (verified) {
            known = verified.get(token);
        }
        if (known == null) {
            return null;
        }
        checkTimes(known.caller().expiresAt(), known.notBefore(), clock.instant());
        if (keys instanceof JwksKeySource jwks && !jwks.knows(known.keyId())) {
            return null;
        }
        return known.caller();
    }

    public Caller verify(String token) {
        Caller known = verifiedBefore(token);
        if (known != null) {
            return known;
        }
        Instant now = clock.instant();
        Jws.Parsed parsed = Jws.parse(token);
        ObjectNode header = parsed.header();
        if (!Jws.ALGORITHM.equals(text(header, "alg"))) {
            throw new InvalidTokenException("unsupported algorithm");
        }
        String type = text(header, "typ");
        if (type == null || !(type.equalsIgnoreCase(Jws.ACCESS_TOKEN_TYPE) || type.equalsIgnoreCase("application/" + Jws.ACCESS_TOKEN_TYPE))) {
            throw new InvalidTokenException("not an access token");
        }
        JsonNode critical = header.get("crit");
        if (critical != null) {
            throw new InvalidTokenException("unsupported critical header");
        }
        String keyId = parsed.keyId();
        if (keyId == null) {
            throw new InvalidTokenException("no key id");
        }
        byte[] publicKey = keys.publicKey(keyId);
        if (publicKey == null) {
            throw new InvalidTokenException("unknown signing key");
        }
        if (!Ed25519.verify(publicKey, parsed.signingInput(), parsed.signature())) {
            throw new InvalidTokenException("bad signature");
        }
        Verified result = claims(parsed.payload(), keyId, now);
        synchronized (verified) {
            verified.put(token, result);
        }
        return result.caller();
    }

    private Verified claims(ObjectNode claims, String keyId, Instant now) {
        if (!issuer.equals(text(claims, "iss"))) {
            throw new InvalidTokenException("wrong issuer");
        }
        if (!audienceMatches(claims.get("aud"))) {
            throw new InvalidTokenException("wrong audience");
        }
        Instant expiresAt = instant(claims, "exp", true);
        Instant notBefore = instant(claims, "nbf", false);
        Instant issuedAt = instant(claims, "iat", true);
        if (issuedAt.isAfter(now.plus(clockSkew))) {
            throw new InvalidTokenException("token issued in the future");
        }
        checkTimes(expiresAt, notBefore, now);
        String subject = required(claims, "sub");
        String tokenId = required(claims, "jti");
        Caller.Type type = switch (required(claims, "token_type")) {
            case "user" -> Caller.Type.USER;
            case "service" -> Caller.Type.SERVICE;
            default -> throw new InvalidTokenException("unknown token type");
        };
        Set<String> roles = new LinkedHashSet<>();
        JsonNode roleNode = claims.get("roles");
        if (roleNode != null && roleNode.isArray()) {
            roleNode.forEach(role -> {
                if (role.isString()) {
                    roles.add(role.asString());
                }
            });
        }
        Set<String> scopes = new LinkedHashSet<>();
        String scope = text(claims, "scope");
        if (scope != null && !scope.isBlank()) {
            scopes.addAll(java.util.List.of(scope.trim().split("\\s+")));
        }
        Caller caller = new Caller(subject, text(claims, "org_id"), type, type == Caller.Type.USER ? roles : Set.of(),
                type == Caller.Type.SERVICE ? scopes : Set.of(), tokenId, text(claims, "sid"), issuedAt, expiresAt);
        return new Verified(caller, keyId, notBefore);
    }

    private void checkTimes(Instant expiresAt, Instant notBefore, Instant now) {
        if (!now.isBefore(expiresAt.plus(clockSkew))) {
            throw new InvalidTokenException("token expired");
        }
        if (notBefore != null && now.plus(clockSkew).isBefore(notBefore)) {
            throw new InvalidTokenException("token not valid yet");
        }
    }

    private boolean audienceMatches(JsonNode aud) {
        if (aud == null) {
            return false;
        }
        if (aud.isString()) {
            return audience.equals(aud.asString());
        }
        if (aud.isArray()) {
            for (JsonNode value : aud) {
                if (value.isString() && audience.equals(value.asString())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Instant instant(ObjectNode claims, String name, boolean required) {
        JsonNode value = claims.get(name);
        if (value == null || value.isNull()) {
            if (required) {
                throw new InvalidTokenException("missing " + name);
            }
            return null;
        }
        if (!value.isNumber()) {
            throw new InvalidTokenException("malformed " + name);
        }
        return Instant.ofEpochSecond(value.asLong());
    }

    private static String required(ObjectNode claims, String name) {
        String value = text(claims, name);
        if (value == null || value.isEmpty()) {
            throw new InvalidTokenException("missing " + name);
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isString() ? value.asString() : null;
    }
}
