package dev.cairn.validator.mempool;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;

import tools.jackson.databind.JsonNode;

import dev.cairn.ledger.CanonicalJson;
import dev.cairn.ledger.ObjectIds;
import dev.cairn.ledger.TransactionRules;
import dev.cairn.ledger.crypto.LedgerAddress;
import dev.cairn.platform.problem.ApiException;

/**
 * The checks of a submitted transaction that need nothing but the transaction, the validator's
 * limits and its clock: no store, no other service. Each refusal is the 400 the API answers.
 */
public final class TransactionChecks {

    private TransactionChecks() {
    }

    /**
     * The record's own checks: a JSON object with a canonical form (RFC 8785) of at most
     * {@code maxBytes}, a register id, the ledger's transaction rules (id, hash, signature), no
     * genesis (validators make those), and the sender the address of the signing key.
     *
     * @return the transaction's canonical text
     */
    public static String record(JsonNode tx, int maxBytes) {
        if (!tx.isObject()) {
            throw ApiException.badRequest("invalid-transaction", "A transaction is a JSON object");
        }
        String raw;
        try {
            raw = CanonicalJson.string(tx);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid-transaction", "The transaction has no canonical form (RFC 8785): " + e.getMessage());
        }
        if (raw.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            throw ApiException.badRequest("transaction-too-large", "A transaction is at most " + maxBytes + " bytes as canonical JSON");
        }
        String registerId = tx.path("registerId").asString("");
        if (!ObjectIds.isValid(registerId)) {
            throw ApiException.badRequest("invalid-transaction", "registerId must be a register id (32 lower-case hex digits)");
        }
        String problem = TransactionRules.problem(tx, registerId);
        if (problem != null) {
            throw ApiException.badRequest("invalid-transaction", problem);
        }
        if ("genesis".equals(tx.path("type").stringValue())) {
            throw ApiException.badRequest("invalid-transaction", "Genesis transactions are made by the validators themselves");
        }
        JsonNode signature = tx.path("signature");
        byte[] publicKey = Base64.getDecoder().decode(signature.path("publicKey").stringValue());
        if (!LedgerAddress.matches(tx.path("sender").stringValue(), signature.path("algorithm").stringValue(), publicKey)) {
            throw ApiException.badRequest("sender-not-signer", "sender must be the address of the key that signed the transaction");
        }
        return raw;
    }

    /** The transaction's time against the validator's clock: at most {@code maxClockSkew} ahead, at most {@code maxAge} old. */
    public static void timing(Instant timestamp, Instant now, Duration maxClockSkew, Duration maxAge) {
        if (timestamp.isAfter(now.plus(maxClockSkew))) {
            throw ApiException.badRequest("timestamp-in-future", "The transaction's timestamp is more than " + human(maxClockSkew)
                    + " ahead of the validator's clock");
        }
        if (timestamp.isBefore(now.minus(maxAge))) {
            throw ApiException.badRequest("transaction-expired", "The transaction is older than " + human(maxAge));
        }
    }

    /** 24h, 30s, 0.1s: a duration as people write it. */
    public static String human(Duration duration) {
        return duration.toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
