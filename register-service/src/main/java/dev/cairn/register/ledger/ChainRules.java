package dev.cairn.register.ledger;

import java.util.List;

import tools.jackson.databind.JsonNode;

import dev.cairn.platform.ledger.LedgerHashes;

/**
 * The checks a chain must pass, on the signed records alone: used on the stored chain
 * ({@link ChainVerifier}) and on an export, offline ({@link dev.cairn.register.export.ExportVerifier}).
 */
public final class ChainRules {

    private ChainRules() {
    }

    /** What is wrong with the docket at {@code height} following the docket whose hash is {@code previousHash}, or null. */
    public static String docketProblem(JsonNode docket, String registerId, long height, String previousHash) {
        if (!docket.isObject() || !registerId.equals(docket.path("registerId").asString(null)) || docket.path("height").asLong(-1) != height) {
            return "the docket names another register or height";
        }
        String hash = LedgerHashes.docketHash(docket);
        if (!hash.equals(docket.path("hash").asString(null))) {
            return "the docket's hash does not match its content";
        }
        if (!LedgerHashes.signatureValid(docket, hash)) {
            return "the docket's signature does not verify";
        }
        if (!previousHash.equals(docket.path("previousHash").asString(null))) {
            return "previousHash does not link to the docket before it";
        }
        if (!LedgerHashes.merkleRoot(LedgerRecords.strings(docket.path("transactionIds"))).equals(docket.path("merkleRoot").asString(null))) {
            return "the Merkle root does not match the docket's transactions";
        }
        return null;
    }

    /** What is wrong with the transaction listed as {@code txId}, or null. */
    public static String transactionProblem(JsonNode tx, String registerId, String txId) {
        if (!txId.equals(LedgerHashes.transactionId(tx)) || !txId.equals(tx.path("txId").asString(null))) {
            return "transaction " + txId + ": its id does not match its content";
        }
        if (!registerId.equals(tx.path("registerId").asString(null))) {
            return "transaction " + txId + " names another register";
        }
        if (!LedgerHashes.signatureValid(tx, txId)) {
            return "transaction " + txId + ": the signature does not verify";
        }
        return null;
    }

    public static List<String> transactionIds(JsonNode docket) {
        return LedgerRecords.strings(docket.path("transactionIds"));
    }
}
