package dev.cairn.testsupport;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.cairn.platform.crypto.Ed25519;
import dev.cairn.platform.crypto.LedgerAddress;
import dev.cairn.platform.ledger.LedgerHashes;

/** Builds signed transactions and dockets as a client wallet and a validator would. */
public final class LedgerFixture {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    private final byte[] walletKey = Ed25519.generatePrivateKey();
    private final byte[] validatorKey = Ed25519.generatePrivateKey();
    /** The address of the key that signs this fixture's transactions. */
    public final String sender = LedgerAddress.of("ED25519", Ed25519.publicKey(walletKey));
    public final String recipient = "cairn1recipient" + UUID.randomUUID().toString().substring(0, 8);

    public ObjectNode transaction(String registerId, String type, JsonNode payload) {
        return transaction(registerId, type, payload, null, Instant.now());
    }

    /** A transaction following {@code previousTxId} (or none), stamped {@code timestamp}. */
    public ObjectNode transaction(String registerId, String type, JsonNode payload, String previousTxId, Instant timestamp) {
        ObjectNode tx = JSON.createObjectNode();
        tx.put("registerId", registerId).put("type", type).put("sender", sender);
        tx.putArray("recipients").add(recipient);
        tx.put("instanceId", "inst-" + UUID.randomUUID()).set("payload", payload);
        if (previousTxId != null) {
            tx.put("previousTxId", previousTxId);
        }
        tx.put("timestamp", timestamp.toString());
        return sign(tx, "txId", LedgerHashes.transactionId(tx), walletKey);
    }

    /** Re-signs a transaction after a test changed it, as its sender would. */
    public ObjectNode resign(ObjectNode tx) {
        tx.remove("txId");
        tx.remove("signature");
        return sign(tx, "txId", LedgerHashes.transactionId(tx), walletKey);
    }

    public ObjectNode action(String registerId, int amount) {
        return transaction(registerId, "action", JSON.createObjectNode().put("amount", amount).put("note", "pay €" + amount));
    }

    public ObjectNode genesis(String registerId, String owner) {
        return transaction(registerId, "genesis", JSON.createObjectNode().put("owner", owner).put("docketWriterScope", "register:write-docket"));
    }

    /** The body of POST /dockets: a docket over the transactions, linked to previousHash and signed. */
    public ObjectNode docket(String registerId, long height, String previousHash, List<ObjectNode> transactions) {
        List<String> ids = new ArrayList<>();
        transactions.forEach(tx -> ids.add(tx.path("txId").asString()));
        ObjectNode docket = JSON.createObjectNode();
        docket.put("registerId", registerId).put("height", height).put("previousHash", previousHash)
                .put("merkleRoot", LedgerHashes.merkleRoot(ids)).put("timestamp", Instant.now().toString()).put("validatorId", "validator-test");
        ids.forEach(docket.putArray("transactionIds")::add);
        sign(docket, "hash", LedgerHashes.docketHash(docket), validatorKey);
        ObjectNode body = JSON.createObjectNode();
        body.set("docket", docket);
        transactions.forEach(body.putArray("transactions")::add);
        return body;
    }

    public static String hash(ObjectNode body) {
        return body.path("docket").path("hash").asString();
    }

    private static ObjectNode sign(ObjectNode record, String idField, String hash, byte[] key) {
        record.put(idField, hash);
        ObjectNode signature = record.putObject("signature");
        signature.put("algorithm", "ED25519").put("publicKey", Base64.getEncoder().encodeToString(Ed25519.publicKey(key)))
                .put("value", Base64.getEncoder().encodeToString(Ed25519.sign(key, LedgerHashes.bytes(hash))));
        return record;
    }
}
