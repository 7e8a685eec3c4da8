package dev.cairn.platform.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.cairn.ledger.crypto.Ed25519;

/**
 * JWS compact serialisation (RFC 7515) for the one algorithm Cairn uses: EdDSA over Ed25519
 * (RFC 8037). Nothing here looks at the {@code alg} a token claims in order to pick how to
 * verify it: the algorithm is fixed, so "none", HMAC-with-the-public-key and similar
 * confusions cannot happen.
 */
public final class Jws {

    public static final String ALGORITHM = "EdDSA";
    public static final String ACCESS_TOKEN_TYPE = "at+jwt";
    /** Tokens longer than this are refused before any parsing. */
    public static final int MAX_LENGTH = 8 * 1024;

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private Jws() {
    }

    /** A token whose signature has not been checked yet. */
    public record Parsed(ObjectNode header, ObjectNode payload, byte[] signingInput, byte[] signature) {
        public String keyId() {
            JsonNode kid = header.get("kid");
            return kid != null && kid.isString() ? kid.asString() : null;
        }
    }

    public static String sign(String keyId, byte[] privateKey, ObjectNode payload) {
        ObjectNode header = JSON.createObjectNode();
        header.put("alg", ALGORITHM);
        header.put("typ", ACCESS_TOKEN_TYPE);
        header.put("kid", keyId);
        String signingInput = encode(JSON.writeValueAsBytes(header)) + "." + encode(JSON.writeValueAsBytes(payload));
        byte[] signature = Ed25519.sign(privateKey, signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + encode(signature);
    }

    /** Splits and decodes a compact JWS, checking only its shape. */
    public static Parsed parse(String token) {
        if (token == null || token.isEmpty()) {
            throw new InvalidTokenException("missing token");
        }
        if (token.length() > MAX_LENGTH) {
            throw new InvalidTokenException("token too long");
        }
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (first <= 0 || second <= first + 1 || second == token.length() - 1 || token.indexOf('.', second + 1) >= 0) {
            throw new InvalidTokenException("not a signed JWT");
        }
        try {
            ObjectNode header = object(DECODER.decode(token.substring(0, first)));
            ObjectNode payload = object(DECODER.decode(token.substring(first + 1, second)));
            byte[] signature = DECODER.decode(token.substring(second + 1));
            return new Parsed(header, payload, token.substring(0, second).getBytes(StandardCharsets.US_ASCII), signature);
        } catch (IllegalArgumentException | tools.jackson.core.JacksonException e) {
            throw new InvalidTokenException("malformed JWT");
        }
    }

    private static ObjectNode object(byte[] json) {
        JsonNode node = JSON.readTree(json);
        if (!(node instanceof ObjectNode object)) {
            throw new InvalidTokenException("malformed JWT");
        }
        return object;
    }

    public static String encode(byte[] bytes) {
        return ENCODER.encodeToString(bytes);
    }

    public static byte[] decode(String text) {
        return DECODER.decode(text);
    }
}
