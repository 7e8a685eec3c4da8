package dev.cairn.ledger;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * The checks a chain's records must pass, on the signed records alone. Each record has checks
 * of its own (its hash or id against its content, its signature, a docket's Merkle root), which
 * need nothing else and can run side by side, and checks of its place in the chain (register,
 * height, link, order), which {@link ChainCheck} makes in order.
 */
public final class ChainRules {

    private ChainRules() {
    }

    /** What is wrong with the docket on its own (hash, signature, Merkle root), or null. */
    public static String docketSelfProblem(JsonNode docket) {
        if (!docket.isObject()) {
            return "the docket is not a JSON object";
        }
        String hash;
        try {
            hash = LedgerHashes.docketHash(docket);
        } catch (IllegalArgumentException e) {
            return "the docket has no canonical form: " + e.getMessage();
        }
        if (!hash.equals(docket.path("hash").asString(null))) {
            return "the docket's hash does not match its content";
        }
        if (!LedgerHashes.signatureValid(docket, hash)) {
            return "the docket's signature does not verify";
        }
        JsonNode ids = docket.path("transactionIds");
        if (!ids.isArray() || ids.isEmpty() || !TransactionRules.allStrings(ids) || !strings(ids).stream().allMatch(LedgerHashes::isHash)) {
            return "transactionIds must be a non-empty array of transaction ids";
        }
        if (new java.util.HashSet<>(strings(ids)).size() != ids.size()) {
            return "a transaction appears twice in the docket";
        }
        if (!LedgerHashes.merkleRoot(strings(ids)).equals(docket.path("merkleRoot").asString(null))) {
            return "the Merkle root does not match the docket's transactions";
        }
        if (!TransactionRules.isInstant(docket.path("timestamp"))) {
            return "the docket's timestamp is not an ISO-8601 instant";
        }
        return null;
    }

    /**
     * What is wrong with a record's stored or exported text: it must be the record's canonical
     * JSON, byte for byte, since its hash covers the canonical form only (a number or an escape
     * spelt another way would otherwise change the text unnoticed).
     */
    public static String textProblem(String text, JsonNode record, String what) {
        try {
            return text.equals(CanonicalJson.string(record)) ? null : what + " is not stored in its canonical form (RFC 8785)";
        } catch (IllegalArgumentException e) {
            return what + " has no canonical form: " + e.getMessage();
        }
    }

    /** What is wrong with the docket's place: its register, its height, its link to the docket before it. */
    public static String docketPlaceProblem(JsonNode docket, String registerId, long height, String previousHash) {
        if (!registerId.equals(docket.path("registerId").asString(null)) || !docket.path("height").isIntegralNumber()
                || docket.path("height").asLong(-1) != height) {
            return "the docket names another register or height";
        }
        if (!previousHash.equals(docket.path("previousHash").asString(null))) {
            return "previousHash does not link to the docket before it";
        }
        return null;
    }

    /** What is wrong with the docket at {@code height} following the docket whose hash is {@code previousHash}, or null. */
    public static String docketProblem(JsonNode docket, String registerId, long height, String previousHash) {
        String problem = docketSelfProblem(docket);
        return problem != null ? problem : docketPlaceProblem(docket, registerId, height, previousHash);
    }

    /** What is wrong with the transaction on its own (its id against its content, its signature), or null. */
    public static String transactionSelfProblem(JsonNode tx) {
        if (!tx.isObject()) {
            return "a transaction is not a JSON object";
        }
        String txId = tx.path("txId").asString(null);
        String computed;
        try {
            computed = LedgerHashes.transactionId(tx);
        } catch (IllegalArgumentException e) {
            return "transaction " + txId + " has no canonical form: " + e.getMessage();
        }
        if (!computed.equals(txId)) {
            return "transaction " + txId + ": its id does not match its content";
        }
        if (!LedgerHashes.signatureValid(tx, txId)) {
            return "transaction " + txId + ": the signature does not verify";
        }
        return null;
    }

    /** What is wrong with the transaction listed as {@code txId} in a docket of the register, or null. */
    public static String transactionPlaceProblem(JsonNode tx, String registerId, String txId, long height) {
        if (!txId.equals(tx.path("txId").asString(null))) {
            return "transaction " + txId + " is missing or out of order";
        }
        if (!registerId.equals(tx.path("registerId").asString(null))) {
            return "transaction " + txId + " names another register";
        }
        String shape = TransactionRules.shapeProblem(tx, registerId);
        if (shape != null) {
            return shape;
        }
        if ("genesis".equals(tx.path("type").asString(null)) != (height == 0)) {
            return height == 0 ? "the genesis docket holds a transaction that is not the genesis transaction"
                    : "transaction " + txId + " is a genesis transaction outside the genesis docket";
        }
        return null;
    }

    /** What is wrong with the transaction listed as {@code txId}, or null. */
    public static String transactionProblem(JsonNode tx, String registerId, String txId) {
        if (!txId.equals(tx.path("txId").asString(null))) {
            return "transaction " + txId + ": its id does not match its content";
        }
        String problem = transactionSelfProblem(tx);
        if (problem == null && !registerId.equals(tx.path("registerId").asString(null))) {
            problem = "transaction " + txId + " names another register";
        }
        return problem;
    }

    public static List<String> transactionIds(JsonNode docket) {
        return strings(docket.path("transactionIds"));
    }

    public static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array.isArray()) {
            array.values().forEach(v -> values.add(v.asString()));
        }
        return values;
    }
}
