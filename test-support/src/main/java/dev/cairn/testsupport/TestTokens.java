package dev.cairn.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import tools.jackson.databind.json.JsonMapper;

import dev.cairn.ledger.crypto.Ed25519;

/** Builds tokens for tests, well-formed or deliberately broken. */
public final class TestTokens {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    public final String kid;
    public final byte[] privateKey;
    public final byte[] publicKey;

    public TestTokens(String kid) {
        this.kid = kid;
        this.privateKey = Ed25519.generatePrivateKey();
        this.publicKey = Ed25519.publicKey(privateKey);
    }

    public Map<String, Object> header() {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "EdDSA");
        header.put("typ", "at+jwt");
        header.put("kid", kid);
        return header;
    }

    public static Map<String, Object> userClaims(String issuer, String audience, Instant now) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("aud", audience);
        claims.put("sub", UUID.randomUUID().toString());
        claims.put("org_id", UUID.randomUUID().toString());
        claims.put("token_type", "user");
        claims.put("roles", java.util.List.of("Member"));
        claims.put("sid", UUID.randomUUID().toString());
        claims.put("iat", now.getEpochSecond());
        claims.put("nbf", now.getEpochSecond());
        claims.put("exp", now.plusSeconds(900).getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        return claims;
    }

    public String sign(Map<String, Object> header, Map<String, Object> claims) {
        return signWith(privateKey, header, claims);
    }

    /** A JWT with this header and these claims, signed with an Ed25519 key (another issuer's, or the real one's). */
    public static String signWith(byte[] privateKey, Map<String, Object> header, Map<String, Object> claims) {
        String input = encode(header) + "." + encode(claims);
        return input + "." + B64.encodeToString(Ed25519.sign(privateKey, input.getBytes(StandardCharsets.US_ASCII)));
    }

    /** The classic key-confusion forgery: HS256 with the public key as the HMAC secret. */
    public String forgeHs256WithPublicKey(Map<String, Object> claims) throws Exception {
        return forgeHs256(kid, publicKey, claims);
    }

    /** The key-confusion forgery for any key: {@code alg: HS256} and {@code kid}, the HMAC keyed with the public key's bytes. */
    public static String forgeHs256(String kid, byte[] publicKey, Map<String, Object> claims) throws Exception {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "HS256");
        header.put("typ", "at+jwt");
        header.put("kid", kid);
        String input = encode(header) + "." + encode(claims);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(publicKey, "HmacSHA256"));
        return input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }

    public String unsigned(Map<String, Object> claims) {
        Map<String, Object> header = header();
        header.put("alg", "none");
        return encode(header) + "." + encode(claims) + ".";
    }

    /** The same token with one claim changed after signing. */
    public static String alterClaim(String token, String claim, Object value) {
        String[] parts = token.split("\\.");
        @SuppressWarnings("unchecked")
        Map<String, Object> claims = JSON.readValue(Base64.getUrlDecoder().decode(parts[1]), LinkedHashMap.class);
        claims.put(claim, value);
        return parts[0] + "." + encode(claims) + "." + parts[2];
    }

    public String jwks() {
        return "{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"alg\":\"EdDSA\",\"use\":\"sig\",\"kid\":\"" + kid + "\",\"x\":\""
                + B64.encodeToString(publicKey) + "\"}]}";
    }

    private static String encode(Map<String, Object> json) {
        return B64.encodeToString(JSON.writeValueAsBytes(json));
    }
}
