package dev.cairn.register.ledger;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import tools.jackson.databind.JsonNode;

import dev.cairn.ledger.crypto.SignatureVerifier;
import dev.cairn.ledger.LedgerHashes;
import dev.cairn.ledger.TransactionRules;

/**
 * The shape of the ledger records the register accepts, checked field by field so that a
 * client learns exactly what is wrong. Hashes and signatures follow {@link LedgerHashes};
 * transactions are checked by {@link TransactionRules}.
 *
 * <p>A docket: {@code registerId}, {@code height}, {@code previousHash} (64 zeros at height 0),
 * {@code merkleRoot}, {@code transactionIds[]}, {@code timestamp}, {@code validatorId}
 * (optional), {@code hash} and {@code signature}.
 */
final class LedgerRecords {

    private LedgerRecords() {
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
        if (!TransactionRules.isInstant(docket.path("timestamp"))) {
            return "docket timestamp must be an ISO-8601 instant";
        }
        JsonNode listed = docket.path("transactionIds");
        if (!listed.isArray() || listed.isEmpty() || !TransactionRules.allStrings(listed)) {
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
        return dev.cairn.ledger.ChainRules.strings(array);
    }
}
