package dev.cairn.ledger;

import java.time.Instant;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A signed tree head: a sealing key's statement that a register's docket tree of
 * {@code treeSize} dockets has the head {@code rootHash} and ends with the docket
 * {@code latestHash}.
 *
 * <pre>{registerId, treeSize, rootHash, latestHash, timestamp, signature}</pre>
 *
 * Hashes are lower-case hex. The signature ({@code {algorithm, publicKey, value}}, base64)
 * signs the 32 raw bytes of the SHA-256 of the head's canonical JSON without {@code signature},
 * and must be made by a sealing key in force for the head's last docket (height
 * {@code treeSize - 1}) or for the height after it.
 *
 * <p>Two validly signed heads of one register with the same {@code treeSize} and different
 * {@code rootHash} prove that the register's sealers showed two histories.
 */
public final class TreeHead {

    private TreeHead() {
    }

    /** The head, unsigned. */
    public static ObjectNode unsigned(String registerId, long treeSize, String rootHash, String latestHash, Instant timestamp) {
        ObjectNode head = JsonNodeFactory.instance.objectNode();
        head.put("registerId", registerId).put("treeSize", treeSize).put("rootHash", rootHash).put("latestHash", latestHash)
                .put("timestamp", timestamp.toString());
        return head;
    }

    /** The hash a head's signature signs (hex). */
    public static String hash(JsonNode head) {
        return LedgerHashes.hashWithout(head, "signature");
    }

    /**
     * What is wrong with the head's form or signature, or null. Whether its signer may sign it,
     * and whether its root is the register's, are for the caller to check.
     */
    public static String problem(JsonNode head, String registerId) {
        if (!head.isObject()) {
            return "a tree head is a JSON object";
        }
        if (!registerId.equals(head.path("registerId").asString(null))) {
            return "the tree head names another register";
        }
        JsonNode size = head.path("treeSize");
        if (!size.isIntegralNumber() || !size.canConvertToLong() || size.longValue() < 1) {
            return "treeSize must be a whole number >= 1";
        }
        if (head.size() != 6) {
            return "a tree head has exactly registerId, treeSize, rootHash, latestHash, timestamp and signature";
        }
        if (!LedgerHashes.isHash(head.path("rootHash").asString(null)) || !LedgerHashes.isHash(head.path("latestHash").asString(null))) {
            return "rootHash and latestHash must be 64 lower-case hex digits";
        }
        if (!TransactionRules.isInstant(head.path("timestamp"))) {
            return "timestamp must be an ISO-8601 instant";
        }
        String hash;
        try {
            hash = hash(head);
        } catch (IllegalArgumentException e) {
            return "the tree head has no canonical form: " + e.getMessage();
        }
        if (!LedgerHashes.signatureValid(head, hash)) {
            return "the tree head's signature does not verify";
        }
        return null;
    }
}
