package dev.cairn.ledger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.cairn.ledger.crypto.Ed25519;
import dev.cairn.ledger.crypto.LedgerAddress;

/**
 * Builds a register's chain as an export would hold it, with Ed25519 keys from fixed seeds, so
 * that every hash and signature is the same on every run.
 */
final class TestChain {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String REGISTER = "0123456789abcdef0123456789abcdef";
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    /** An Ed25519 key from a seed byte. */
    record Signer(byte[] privateKey) {
        static Signer seed(int seed) {
            byte[] key = new byte[32];
            java.util.Arrays.fill(key, (byte) seed);
            return new Signer(key);
        }

        String publicKey() {
            return Base64.getEncoder().encodeToString(Ed25519.publicKey(privateKey));
        }

        String address() {
            return LedgerAddress.of("ED25519", Ed25519.publicKey(privateKey));
        }

        SealingKeys.Key key() {
            return SealingKeys.Key.of("ED25519", publicKey());
        }

        ObjectNode sign(ObjectNode record, String idField, String hash) {
            record.put(idField, hash);
            record.putObject("signature").put("algorithm", "ED25519").put("publicKey", publicKey())
                    .put("value", Base64.getEncoder().encodeToString(Ed25519.sign(privateKey, LedgerHashes.bytes(hash))));
            return record;
        }
    }

    /** A docket and its transactions. */
    record Block(ObjectNode docket, List<ObjectNode> transactions) {
    }

    final List<Block> blocks = new ArrayList<>();
    private final Signer user = Signer.seed(7);
    private int clock;

    static TestChain genesis(Signer sealer) {
        TestChain chain = new TestChain();
        ObjectNode payload = JSON.createObjectNode().put("owner", "org-1");
        payload.set(SealingKeys.FIELD, SealingKeys.of(List.of(sealer.key())).toJson());
        ObjectNode genesis = chain.transaction("genesis", payload, sealer);
        chain.seal(sealer, List.of(genesis));
        return chain;
    }

    ObjectNode transaction(String type, JsonNode payload, Signer signer) {
        ObjectNode tx = JSON.createObjectNode();
        tx.put("registerId", REGISTER).put("type", type).put("sender", signer.address());
        if (!"genesis".equals(type)) {
            tx.putArray("recipients").add(user.address());
        }
        tx.set("payload", payload);
        tx.put("timestamp", START.plusSeconds(clock++).toString());
        return signer.sign(tx, "txId", LedgerHashes.transactionId(tx));
    }

    ObjectNode action(int amount) {
        return transaction("action", JSON.createObjectNode().put("amount", amount), user);
    }

    ObjectNode keyChange(Signer signer, List<Signer> add, List<Signer> retire) {
        ObjectNode change = JSON.createObjectNode();
        add.forEach(s -> change.withArray("add").add(s.key().toJson()));
        retire.forEach(s -> change.withArray("retire").add(s.key().id()));
        ObjectNode payload = JSON.createObjectNode();
        payload.set(SealingKeys.FIELD, change);
        return transaction("control", payload, signer);
    }

    TestChain seal(Signer sealer, List<ObjectNode> transactions) {
        blocks.add(new Block(docket(blocks.size(), previousHash(), transactions, sealer), transactions));
        return this;
    }

    TestChain actions(Signer sealer, int... amounts) {
        List<ObjectNode> txs = new ArrayList<>();
        for (int amount : amounts) {
            txs.add(action(amount));
        }
        return seal(sealer, txs);
    }

    ObjectNode docket(long height, String previousHash, List<ObjectNode> transactions, Signer sealer) {
        List<String> ids = transactions.stream().map(t -> t.path("txId").asString()).toList();
        ObjectNode docket = JSON.createObjectNode();
        docket.put("registerId", REGISTER).put("height", height).put("previousHash", previousHash).put("merkleRoot", LedgerHashes.merkleRoot(ids));
        ids.forEach(docket.putArray("transactionIds")::add);
        docket.put("timestamp", START.plusSeconds(1000 + height).toString()).put("validatorId", "validator-1");
        return sealer.sign(docket, "hash", LedgerHashes.docketHash(docket));
    }

    String previousHash() {
        return blocks.isEmpty() ? LedgerHashes.GENESIS_PREVIOUS_HASH : blocks.get(blocks.size() - 1).docket().path("hash").asString();
    }

    String genesisHash() {
        return blocks.get(0).docket().path("hash").asString();
    }

    ObjectNode head(Signer signer, int treeSize) {
        List<byte[]> leaves = blocks.subList(0, treeSize).stream().map(b -> LedgerHashes.bytes(b.docket().path("hash").asString())).toList();
        ObjectNode head = TreeHead.unsigned(REGISTER, treeSize, LedgerHashes.hex(MerkleTree.root(leaves)),
                blocks.get(treeSize - 1).docket().path("hash").asString(), START.plusSeconds(5000));
        head.set("signature", signer.sign(JSON.createObjectNode(), "x", TreeHead.hash(head)).path("signature"));
        return head;
    }

    /** The export's lines: the register, then each docket and its transactions, then the head if given. */
    List<String> lines(ObjectNode head) {
        List<String> lines = new ArrayList<>();
        lines.add("{\"type\":\"register\",\"registerId\":\"" + REGISTER + "\"}");
        for (Block block : blocks) {
            lines.add(line("docket", block.docket()));
            block.transactions().forEach(tx -> lines.add(line("transaction", tx)));
        }
        if (head != null) {
            lines.add(line("head", head));
        }
        return lines;
    }

    static String line(String type, JsonNode record) {
        return "{\"type\":\"" + type + "\",\"" + type + "\":" + CanonicalJson.string(record) + "}";
    }

    static ChainCheck.Result verify(List<String> lines) {
        return verify(lines, null, null);
    }

    static ChainCheck.Result verify(List<String> lines, String genesis, SealingKeys keys) {
        try {
            return new dev.cairn.ledger.verify.ExportVerifier(genesis, keys, 2)
                    .check(new java.io.BufferedReader(new java.io.StringReader(String.join("\n", lines))));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
