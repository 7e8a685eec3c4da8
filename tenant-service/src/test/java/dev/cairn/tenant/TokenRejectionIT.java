package dev.cairn.tenant;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.cairn.testsupport.TestTokens;
import dev.cairn.ledger.crypto.Ed25519;
import dev.cairn.tenant.token.SigningKeys;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JWT negative suite over HTTP: every forged or stale token is refused with 401 and a
 * WWW-Authenticate challenge. Tokens "signed by us" are made with the service's real current key.
 */
class TokenRejectionIT extends TenantApiSupport {

    @Autowired
    SigningKeys keys;

    @Test
    void everyBadTokenGets401() throws Exception {
        adminToken();
        SigningKeys.SigningKey current = keys.current();
        TestTokens ours = new TestTokens(current.kid());
        Map<String, Object> header = ours.header();
        Instant now = Instant.now();

        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("alg none", ours.unsigned(claims(now)) + "AAAA");
        cases.put("HS256 with the public key", TestTokens.forgeHs256(current.kid(), Ed25519.publicKey(current.privateKey()), claims(now)));
        Map<String, Object> wrongIssuer = claims(now);
        wrongIssuer.put("iss", "https://evil.test");
        cases.put("wrong iss", signed(current, header, wrongIssuer));
        Map<String, Object> wrongAudience = claims(now);
        wrongAudience.put("aud", "not-cairn");
        cases.put("wrong aud", signed(current, header, wrongAudience));
        Map<String, Object> expired = claims(now);
        expired.put("iat", now.minusSeconds(7200).getEpochSecond());
        expired.put("exp", now.minusSeconds(120).getEpochSecond());
        cases.put("expired", signed(current, header, expired));
        Map<String, Object> early = claims(now);
        early.put("nbf", now.plusSeconds(3600).getEpochSecond());
        cases.put("nbf in the future", signed(current, header, early));
        Map<String, Object> unknownKid = ours.header();
        unknownKid.put("kid", "not-a-key-of-ours");
        cases.put("unknown kid", signed(current, unknownKid, claims(now)));
        cases.put("altered payload", TestTokens.alterClaim(signed(current, header, claims(now)), "roles", List.of("SystemAdmin")));
        TestTokens otherInstallation = new TestTokens(current.kid());
        cases.put("another installation's key", otherInstallation.sign(otherInstallation.header(), claims(now)));

        for (Map.Entry<String, String> entry : cases.entrySet()) {
            var response = get("/api/auth/me", entry.getValue());
            assertThat(response.statusCode()).as(entry.getKey() + ": " + response.body()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).as(entry.getKey())
                    .hasValueSatisfying(v -> assertThat(v).contains("invalid_token"));
        }
        // and the control case: the same construction, untampered, is accepted
        assertThat(get("/api/auth/me", signed(current, header, claimsOf(now))).statusCode()).isEqualTo(200);
    }

    private Map<String, Object> claims(Instant now) {
        return TestTokens.userClaims("cairn", "cairn", now);
    }

    /** Claims of a real user, so that /me can find them. */
    private Map<String, Object> claimsOf(Instant now) {
        Map<String, Object> claims = claims(now);
        var me = json(get("/api/auth/me", adminToken()));
        claims.put("sub", me.get("id").asString());
        claims.put("org_id", me.get("organizationId").asString());
        return claims;
    }

    private static String signed(SigningKeys.SigningKey key, Map<String, Object> header, Map<String, Object> claims) {
        return TestTokens.signWith(key.privateKey(), header, claims);
    }
}
