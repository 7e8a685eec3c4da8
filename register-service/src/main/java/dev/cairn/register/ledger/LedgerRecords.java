package dev.cairn.register.ledger;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import tools.jackson.databind.JsonNode;

import dev.cairn.platform.crypto.SignatureVerifier;
import dev.cairn.platform.ledger.LedgerHashes;

/**
 * The shape of the ledger records the register accepts, checked field by field so that a
 * client learns exactly what is wrong. Hashes and signatures follow {@link LedgerHashes}.
 *
 * <p>A transaction: {@code txId}, {@code registerId}, {@code type} ({@code genesis},
 * {@code control} or {@code action}), {@code sender}, {@code recipients[]} (optional),
 * {@code blueprintId}, {@code instanceId}, {@code actionId}, {@code previousTxId} (optional),
 * {@code payload} (any JSON), {@code timestamp} (ISO-8601 instant) and {@code signature}.
 *
 * <p>A docket: {@code registerId}, {@code height}, {@code previousHash} (64 zeros at height 0),
 * {@code merkleRoot}, {@code transactionIds[]}, {@code timestamp}, {@code validatorId}
 * (optional), {@code hash} and {@code signature}.
 */
final class LedgerRecords {

    static final Set<String> TRANSACTION_TYPES = Set.of("genesis", "control", "action");

    private LedgerRecords() {
    }

    /** What is wrong with the transaction, or null when nothing is. */
    static String transactionProblem(JsonNode tx, String registerId) {
        if (!tx.isObject()) {
            return "a transaction is a JSON object";
        }
        String txId = tx.path("txId").asString(null);
        if (!LedgerHashes.isHash(txId)) {
            return "txId must be 64 lower-case hex digits";
        }
        if (!registerId.equals(tx.path("registerId").asString(null))) {
            return "transaction " + txId + " belongs to another register";
        }
        if (!TRANSACTION_TYPES.contains(tx.path("type").asString(""))) {
            return "transaction " + txId + ": type must be one of " + TRANSACTION_TYPES;
        }
        String sender = tx.path("sender").asString("");
        if (sender.isBlank() || sender.length() > 200) {
            return "transaction " + txId + ": sender is required (at most 200 characters)";
        }
        JsonNode recipients = tx.path("recipients");
        if (!recipients.isMissingNode() && (!recipients.isArray() || recipients.size() > 1000
                || !allStrings(recipients))) {
            return "transaction " + txId + ": recipients must be an array of at most 1000 addresses";
        }
        for (String field : List.of("blueprintId", "instanceId")) {
            JsonNode value = tx.path(field);
            if (!value.isMissingNode() && !value.isNull() && (!value.isString() || value.stringValue().length() > 200)) {
                return "transaction " + txId + ": " + field + " must be a string of at most 200 characters";
            }
        }
        JsonNode previous = tx.path("previousTxId");
        if (!previous.isMissingNode() && !previous.isNull() && !LedgerHashes.isHash(previous.asString(null))) {
            return "transaction " + txId + ": previousTxId must be a txId";
        }
        if (tx.path("payload").isMissingNode()) {
            return "transaction " + txId + ": payload is required";
        }
        if (!isInstant(tx.path("timestamp"))) {
            return "transaction " + txId + ": timestamp must be an ISO-8601 instant";
        }
        if (!txId.equals(LedgerHashes.transactionId(tx))) {
            return "transaction " + txId + ": txId is not the SHA-256 of the transaction's canonical JSON";
        }
        String algorithm = tx.path("signature").path("algorithm").asString("");
        if (!SignatureVerifier.isKnown(algorithm)) {
            return "transaction " + txId + ": signature.algorithm must be ED25519, P256 or RSA4096";
        }
        if (!LedgerHashes.signatureValid(tx, txId)) {
            return "transaction " + txId + ": the signature does not verify";
        }
        return null;
    }

    /** What is wrong with the docket on its own (not yet against the chain), or null. */
    static String docketProblem(JsonNode docket, String registerId, List<String> transactionIds) {
        if (!docket.isObject()) {
            return "docket must be a JSON object";
        }
        if (!registerId.equals(docket.path("registerId").asString(null))) {
            return "the docket belongs to another register";
        }
        JsonNode height = docket.path("height");
        if (!height.isIntegralNumber() || height.longValue() < 0) {
            return "docket height must be a whole number >= 0";
        }
        if (!LedgerHashes.isHash(docket.path("previousHash").asString(null))) {
            return "docket previousHash must be 64 lower-case hex digits";
        }
        if (!isInstant(docket.path("timestamp"))) {
            return "docket timestamp must be an ISO-8601 instant";
        }
        JsonNode listed = docket.path("transactionIds");
        if (!listed.isArray() || listed.isEmpty() || !allStrings(listed)) {
            return "docket transactionIds must list the docket's transactions";
        }
        List<String> ids = new ArrayList<>();
        listed.values().forEach(id -> ids.add(id.stringValue()));
        if (!ids.equals(transactionIds)) {
            return "docket transactionIds must list the request's transactions, in the same order";
        }
        if (new HashSet<>(ids).size() != ids.size()) {
            return "a transaction appears twice in the docket";
        }
        if (!LedgerHashes.merkleRoot(ids).equals(docket.path("merkleRoot").asString(null))) {
            return "docket merkleRoot is not the tree head over its transactionIds";
        }
        String hash = docket.path("hash").asString(null);
        if (!LedgerHashes.isHash(hash) || !hash.equals(LedgerHashes.docketHash(docket))) {
            return "docket hash is not the SHA-256 of the docket's canonical JSON";
        }
        if (!SignatureVerifier.isKnown(docket.path("signature").path("algorithm").asString(""))) {
            return "docket signature.algorithm must be ED25519, P256 or RSA4096";
        }
        if (!LedgerHashes.signatureValid(docket, hash)) {
            return "the docket's signature does not verify";
        }
        return null;
    }

    static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array.isArray()) {
            array.values().forEach(value -> values.add(value.asString()));
        }
        return values;
    }

    private static boolean allStrings(JsonNode array) {
        for (JsonNode value : array.values()) {
            if (!value.isString()) {
                return false;
            }
        }
        return true;
    }

    private static boolean isInstant(JsonNode value) {
        if (!value.isString()) {
            return false;
        }
        try {
            Instant.parse(value.stringValue());
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
