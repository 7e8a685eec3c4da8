package dev.cairn.testsupport;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.cairn.ledger.crypto.Ed25519;
import dev.cairn.ledger.crypto.LedgerAddress;
import dev.cairn.ledger.LedgerHashes;
import dev.cairn.ledger.MerkleTree;
import dev.cairn.ledger.SealingKeys;
import dev.cairn.ledger.TreeHead;

/** Builds signed transactions and dockets as a client wallet and a validator would. */
public final class LedgerFixture {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    private final byte[] walletKey = Ed25519.generatePrivateKey();
    private final byte[] validatorKey = Ed25519.generatePrivateKey();
    /** The address of the key that signs this fixture's transactions. */
    public final String sender = LedgerAddress.of("ED25519", Ed25519.publicKey(walletKey));
    public final String recipient = LedgerAddress.of("ED25519", Ed25519.publicKey(Ed25519.generatePrivateKey()));

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

    /** The genesis transaction, pinning this fixture's validator key as the register's sealing key, and signed by it. */
    public ObjectNode genesis(String registerId, String owner) {
        ObjectNode payload = JSON.createObjectNode().put("owner", owner).put("docketWriterScope", "register:write-docket");
        payload.set(SealingKeys.FIELD, SealingKeys.of(List.of(sealingKey(validatorKey))).toJson());
        ObjectNode tx = JSON.createObjectNode();
        tx.put("registerId", registerId).put("type", "genesis").put("sender", LedgerAddress.of("ED25519", Ed25519.publicKey(validatorKey)));
        tx.set("payload", payload);
        tx.put("timestamp", Instant.now().toString());
        return sign(tx, "txId", LedgerHashes.transactionId(tx), validatorKey);
    }

    /** A new Ed25519 private key, e.g. to sign as someone the register does not trust. */
    public static byte[] newKey() {
        return Ed25519.generatePrivateKey();
    }

    /** The validator key this fixture seals with. */
    public byte[] validatorKey() {
        return validatorKey;
    }

    public static SealingKeys.Key sealingKey(byte[] privateKey) {
        return SealingKeys.Key.of("ED25519", Base64.getEncoder().encodeToString(Ed25519.publicKey(privateKey)));
    }

    /** A control transaction, signed by {@code signer}, that adds {@code add} to the register's sealing keys and retires {@code retire}. */
    public ObjectNode keyChange(String registerId, byte[] signer, List<byte[]> add, List<byte[]> retire) {
        ObjectNode change = JSON.createObjectNode();
        add.forEach(k -> change.withArray("add").add(sealingKey(k).toJson()));
        retire.forEach(k -> change.withArray("retire").add(sealingKey(k).id()));
        ObjectNode tx = JSON.createObjectNode();
        tx.put("registerId", registerId).put("type", "control").put("sender", LedgerAddress.of("ED25519", Ed25519.publicKey(signer)));
        tx.putObject("payload").set(SealingKeys.FIELD, change);
        tx.put("timestamp", Instant.now().toString());
        return sign(tx, "txId", LedgerHashes.transactionId(tx), signer);
    }

    /** A signed tree head over the register's first {@code treeSize} dockets. */
    public static ObjectNode head(String registerId, List<String> docketHashes, byte[] signer) {
        List<byte[]> leaves = docketHashes.stream().map(LedgerHashes::bytes).toList();
        ObjectNode head = TreeHead.unsigned(registerId, docketHashes.size(), LedgerHashes.hex(MerkleTree.root(leaves)),
                docketHashes.get(docketHashes.size() - 1), Instant.now());
        head.putObject("signature").put("algorithm", "ED25519").put("publicKey", Base64.getEncoder().encodeToString(Ed25519.publicKey(signer)))
                .put("value", Base64.getEncoder().encodeToString(Ed25519.sign(signer, LedgerHashes.bytes(TreeHead.hash(head)))));
        return head;
    }

    /** The body of POST /dockets: a docket over the transactions, linked to previousHash and signed by this fixture's validator key. */
    public ObjectNode docket(String registerId, long height, String previousHash, List<ObjectNode> transactions) {
        return docket(registerId, height, previousHash, transactions, validatorKey);
    }

    /** The body of POST /dockets, signed by {@code signer}. */
    public ObjectNode docket(String registerId, long height, String previousHash, List<ObjectNode> transactions, byte[] signer) {
        List<String> ids = new ArrayList<>();
        transactions.forEach(tx -> ids.add(tx.path("txId").asString()));
        ObjectNode docket = JSON.createObjectNode();
        docket.put("registerId", registerId).put("height", height).put("previousHash", previousHash)
                .put("merkleRoot", LedgerHashes.merkleRoot(ids)).put("timestamp", Instant.now().toString()).put("validatorId", "validator-test");
        ids.forEach(docket.putArray("transactionIds")::add);
        sign(docket, "hash", LedgerHashes.docketHash(docket), signer);
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
