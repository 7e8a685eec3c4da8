package dev.cairn.ledger;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

import tools.jackson.databind.JsonNode;

import dev.cairn.ledger.crypto.SignatureVerifier;

/**
 * The shape of a transaction, checked field by field so that a client learns exactly what is
 * wrong; the validator checks it on submission and the register again on every docket.
 *
 * <p>A transaction: {@code txId}, {@code registerId}, {@code type} ({@code genesis},
 * {@code control} or {@code action}), {@code sender}, {@code recipients[]} (optional),
 * {@code blueprintId}, {@code instanceId}, {@code actionId}, {@code previousTxId} (optional),
 * {@code payload} (any JSON), {@code timestamp} (ISO-8601 instant) and {@code signature}
 * ({@link LedgerHashes}).
 */
public final class TransactionRules {

    public static final Set<String> TYPES = Set.of("genesis", "control", "action");

    private TransactionRules() {
    }

    /** The largest integer every JSON reader keeps exactly (I-JSON, RFC 7493): canonical JSON prints numbers as doubles. */
    public static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

    /** What is wrong with the transaction, or null when nothing is. */
    public static String problem(JsonNode tx, String registerId) {
        String problem = shapeProblem(tx, registerId);
        if (problem != null) {
            return problem;
        }
        String txId = tx.path("txId").stringValue();
        if (!txId.equals(LedgerHashes.transactionId(tx))) {
            return "transaction " + txId + ": txId is not the SHA-256 of the transaction's canonical JSON";
        }
        if (!LedgerHashes.signatureValid(tx, txId)) {
            return "transaction " + txId + ": the signature does not verify";
        }
        return null;
    }

    /** What is wrong with the transaction's fields, apart from its id and signature, or null. */
    public static String shapeProblem(JsonNode tx, String registerId) {
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
        if (!TYPES.contains(tx.path("type").asString(""))) {
            return "transaction " + txId + ": type must be one of " + TYPES;
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
        String algorithm = tx.path("signature").path("algorithm").asString("");
        if (!SignatureVerifier.isKnown(algorithm)) {
            return "transaction " + txId + ": signature.algorithm must be ED25519, P256 or RSA4096";
        }
        if (!safeNumbers(tx)) {
            return "transaction " + txId + ": numbers must be integers of at most 2^53 - 1 in magnitude, or have a fraction"
                    + " (larger integers lose digits in canonical JSON)";
        }
        return null;
    }

    private static boolean safeNumbers(JsonNode node) {
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() && node.longValue() >= -MAX_SAFE_INTEGER && node.longValue() <= MAX_SAFE_INTEGER;
        }
        for (JsonNode child : node.values()) {
            if (!safeNumbers(child)) {
                return false;
            }
        }
        return true;
    }

    public static boolean allStrings(JsonNode array) {
        for (JsonNode value : array.values()) {
            if (!value.isString()) {
                return false;
            }
        }
        return true;
    }

    public static boolean isInstant(JsonNode value) {
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
