package dev.cairn.ledger;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import tools.jackson.databind.JsonNode;

import dev.cairn.ledger.crypto.SignatureVerifier;

/**
 * How ledger records are identified and signed. Both rules hash the record's canonical JSON
 * (RFC 8785) without the fields that hold the result:
 * <ul>
 *   <li>a transaction's {@code txId} is the lower-case hex SHA-256 of the transaction without
 *       {@code txId} and {@code signature};</li>
 *   <li>a docket's {@code hash} is the hex SHA-256 of the docket without {@code hash} and
 *       {@code signature};</li>
 *   <li>a {@code signature} ({@code {algorithm, publicKey, value}}, base64, and no other
 *       member) signs the 32 raw bytes of that hash; a P256 signature must be strict DER with
 *       a low S;</li>
 *   <li>a docket's {@code merkleRoot} is the RFC 9162 tree head over the 32 raw bytes of its
 *       {@code transactionIds}, in order.</li>
 * </ul>
 */
public final class LedgerHashes {

    public static final String GENESIS_PREVIOUS_HASH = "0".repeat(64);
    private static final HexFormat HEX = HexFormat.of();

    private LedgerHashes() {
    }

    public static String transactionId(JsonNode transaction) {
        return hashWithout(transaction, "txId", "signature");
    }

    public static String docketHash(JsonNode docket) {
        return hashWithout(docket, "hash", "signature");
    }

    public static String merkleRoot(List<String> transactionIds) {
        return HEX.formatHex(MerkleTree.root(transactionIds.stream().map(LedgerHashes::bytes).toList()));
    }

    /** Whether the record's {@code signature} is a valid signature of {@code hash} (hex). */
    public static boolean signatureValid(JsonNode record, String hash) {
        JsonNode signature = record.path("signature");
        // exactly {algorithm, publicKey, value}: the signature is outside the hash, so nothing else may ride in it
        if (!signature.isObject() || signature.size() != 3 || !isHash(hash)) {
            return false;
        }
        try {
            String algorithm = signature.path("algorithm").asString("");
            byte[] value = decode(signature.path("value"));
            if (SignatureVerifier.P256.equals(algorithm) && !SignatureVerifier.isCanonicalP256(value)) {
                return false;
            }
            return SignatureVerifier.verify(algorithm, decode(signature.path("publicKey")), bytes(hash), value);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static boolean isHash(String value) {
        return value != null && value.length() == 64 && value.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }

    public static byte[] bytes(String hash) {
        return HEX.parseHex(hash);
    }

    public static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    private static byte[] decode(JsonNode base64) {
        if (!base64.isString()) {
            throw new IllegalArgumentException("not base64");
        }
        byte[] bytes = Base64.getDecoder().decode(base64.stringValue());
        // one spelling per value: unused bits set, which decoders ignore, would change the record unseen
        if (!Base64.getEncoder().encodeToString(bytes).equals(base64.stringValue())) {
            throw new IllegalArgumentException("not canonical base64");
        }
        return bytes;
    }

    /** The hex SHA-256 of the record's canonical JSON without the given fields. */
    public static String hashWithout(JsonNode record, String... fields) {
        if (!record.isObject()) {
            throw new IllegalArgumentException("a ledger record is a JSON object");
        }
        return HEX.formatHex(SignatureVerifier.sha256(CanonicalJson.bytesWithout(record, List.of(fields))));
    }
}
