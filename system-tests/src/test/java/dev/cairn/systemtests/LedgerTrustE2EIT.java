package dev.cairn.systemtests;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.cairn.ledger.CanonicalJson;
import dev.cairn.ledger.ChainRules;
import dev.cairn.testsupport.LedgerFixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Trusting a register from outside, on the whole suite: the rewrite attack (a history changed
 * in MongoDB and re-signed with a fresh key is reported by {@code verify}, by the offline
 * verifier and by the head monitor), and a sealing key rotated by a control transaction.
 */
class LedgerTrustE2EIT extends AgainstSharedCluster {

    private static final String JSON = "application/json";

    @TempDir
    Path work;

    @Test
    void aHistoryRewrittenInMongoDbAndResignedWithAFreshKeyIsReportedByVerifyTheOfflineVerifierAndTheMonitor() throws Exception {
        String registerId = Ledgers.onlineRegister(front, admin, "Rewritten");
        LedgerFixture client = new LedgerFixture();
        List<ObjectNode> sealed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ObjectNode tx = client.action(registerId, i);
            assertThat(front.post("/api/transactions", admin, JSON, tx.toString()).statusCode()).isEqualTo(202);
            Ledgers.awaitSealed(front, admin, registerId, tx.path("txId").asString());
            sealed.add(tx);
        }
        long size = Json.read(front.get("/api/registers/" + registerId, admin).body()).path("height").asLong() + 1;
        awaitHead(registerId, size);
        Path state = work.resolve("monitor.json");
        Result first = cairn("monitor", cluster.frontUrl(), registerId, "--state", state.toString());
        assertThat(first.exit()).as(first.output()).isZero();
        assertThat(first.output()).contains("Pinned register " + registerId).contains("first head accepted: " + size + " dockets");
        String genesis = Json.read(Files.readString(state)).path("genesisHash").asString();
        Path honest = export(registerId, "honest.jsonl");
        Result verified = cairn("verify-export", honest.toString(), "--genesis", genesis);
        assertThat(verified.exit()).as(verified.output()).isZero();

        // the attacker changes the transaction sealed at this height and re-seals it and every docket after it with a key of their own
        long height = Json.read(front.get("/api/registers/" + registerId + "/transactions/" + sealed.get(1).path("txId").asString(), admin)
                .body()).path("height").asLong();
        rewriteFrom(registerId, height, size);

        JsonNode report = Json.read(front.get("/api/registers/" + registerId + "/verify", admin).body());
        assertThat(report.path("ok").asBoolean()).isFalse();
        assertThat(report.path("height").asLong()).isEqualTo(height);
        assertThat(report.path("reason").asString()).contains("not signed by a sealing key");
        Result offline = cairn("verify-export", export(registerId, "rewritten.jsonl").toString());
        assertThat(offline.exit()).as(offline.output()).isEqualTo(1);
        assertThat(offline.output()).contains("FAILED at height " + height);
        Result watched = cairn("monitor", cluster.frontUrl(), registerId, "--state", state.toString());
        assertThat(watched.exit()).as(watched.output()).isEqualTo(1);
        assertThat(watched.output()).contains("MISMATCH").contains("no longer match its signed tree heads");
        Figures.record("ledger rewrite attack", "verify and verify-export report height " + height + "; the monitor reports the head mismatch");
    }

    @Test
    void aSealingKeyRotatedByControlTransactionSealsFromTheNextHeightAndNewRegistersPinTheNewestKey() throws Exception {
        String registerId = Ledgers.onlineRegister(front, admin, "Rotated");
        LedgerFixture client = new LedgerFixture();
        ObjectNode before = client.action(registerId, 1);
        front.post("/api/transactions", admin, JSON, before.toString());
        Ledgers.awaitSealed(front, admin, registerId, before.path("txId").asString());
        String oldKey = Json.read(front.get("/api/registers/" + registerId + "/sealing-keys", admin).body()).path("sealingKeys").get(0)
                .path("id").asString();

        HttpResponse<String> created = front.post("/api/validator/sealing-keys", admin, JSON, "");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode newKey = Json.read(created.body());
        HttpResponse<String> rotation = front.post("/api/validator/registers/" + registerId + "/sealing-keys/rotate", admin, JSON, "");
        assertThat(rotation.statusCode()).as(rotation.body()).isEqualTo(202);
        JsonNode rotated = Json.read(rotation.body());
        assertThat(rotated.path("add").get(0).asString()).isEqualTo(newKey.path("id").asString());
        assertThat(rotated.path("retire").get(0).asString()).isEqualTo(oldKey);
        long changedAt = Ledgers.awaitSealed(front, admin, registerId, rotated.path("txId").asString()).path("height").asLong();

        ObjectNode after = client.action(registerId, 2);
        front.post("/api/transactions", admin, JSON, after.toString());
        long afterHeight = Ledgers.awaitSealed(front, admin, registerId, after.path("txId").asString()).path("height").asLong();
        assertThat(afterHeight).isGreaterThan(changedAt);
        JsonNode changeDocket = Json.read(front.get("/api/registers/" + registerId + "/dockets/" + changedAt, admin).body()).path("docket");
        JsonNode afterDocket = Json.read(front.get("/api/registers/" + registerId + "/dockets/" + afterHeight, admin).body()).path("docket");
        assertThat(changeDocket.path("signature").path("publicKey").asString()).as("the docket sealing the change is signed under the old key")
                .isNotEqualTo(newKey.path("publicKey").asString());
        assertThat(afterDocket.path("signature").path("publicKey").asString()).isEqualTo(newKey.path("publicKey").asString());
        JsonNode keys = Json.read(front.get("/api/registers/" + registerId + "/sealing-keys", admin).body());
        assertThat(keys.path("sealingKeys").size()).isEqualTo(1);
        assertThat(keys.path("sealingKeys").get(0).path("id").asString()).isEqualTo(newKey.path("id").asString());
        assertThat(keys.path("changes").get(0).path("effectiveFrom").asLong()).isEqualTo(changedAt + 1);
        assertThat(Json.read(front.get("/api/registers/" + registerId + "/verify", admin).body()).path("ok").asBoolean()).isTrue();
        awaitHead(registerId, afterHeight + 1);
        assertThat(Json.read(front.get("/api/registers/" + registerId + "/head", admin).body()).path("signature").path("publicKey").asString())
                .isEqualTo(newKey.path("publicKey").asString());

        Path keyFile = work.resolve("keys.json");
        Files.writeString(keyFile, front.get("/api/validator/sealing-keys", admin).body());
        Result checked = cairn("verify-export", export(registerId, "rotated.jsonl").toString(), "--keys", keyFile.toString());
        assertThat(checked.exit()).as(checked.output()).isZero();
        assertThat(checked.output()).contains("Sealing keys now in force: " + newKey.path("id").asString());
        assertThat(front.post("/api/validator/registers/" + registerId + "/sealing-keys/rotate", admin, JSON, "").statusCode()).isEqualTo(409);

        String later = Ledgers.onlineRegister(front, admin, "Pinned to the newest key");
        JsonNode pinned = Json.read(front.get("/api/registers/" + later + "/sealing-keys", admin).body()).path("sealingKeys");
        assertThat(pinned.size()).isEqualTo(1);
        assertThat(pinned.get(0).path("id").asString()).isEqualTo(newKey.path("id").asString());
        Figures.record("sealing key rotation", "key change sealed at height " + changedAt + ", the next docket signed by the new key");
    }

    @Test
    void badHeadAndProofRequestsAndBadVerifierInputAreRefusedClearly() throws Exception {
        String registerId = Ledgers.onlineRegister(front, admin, "Bad input");
        String base = "/api/registers/" + registerId + "/consistency";
        for (String query : List.of("?first=0", "?first=3&second=2", "?first=1&second=99", "?first=x")) {
            HttpResponse<String> refused = front.get(base + query, admin);
            assertThat(refused.statusCode()).as(query + " " + refused.body()).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        }
        HttpResponse<String> junk = front.post("/api/registers/" + registerId + "/head", admin, JSON, "{\"treeSize\":1}");
        assertThat(junk.statusCode()).isEqualTo(403);
        Path broken = work.resolve("keys.json");
        Files.writeString(broken, "{not json");
        for (String[] args : List.of(new String[] {"verify-export", "missing.jsonl"}, new String[] {"verify-export", "x", "--genesis", "zz"},
                new String[] {"verify-export", "x", "--keys", broken.toString()}, new String[] {"monitor", "ftp://x", registerId, "--state", "s"},
                new String[] {"monitor", cluster.frontUrl(), "not-a-register", "--state", "s"})) {
            Result result = cairn(args);
            assertThat(result.exit()).as(String.join(" ", args) + ": " + result.output()).isEqualTo(2);
            assertThat(result.output()).startsWith("error: ").doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    /** Replaces the transaction at {@code height} and re-seals every docket from it on with a fresh key, directly in MongoDB. */
    private void rewriteFrom(String registerId, long height, long size) {
        LedgerFixture attacker = new LedgerFixture();
        byte[] key = LedgerFixture.newKey();
        try (MongoClient mongo = MongoClients.create(cluster.stores().endpoints().mongoUri())) {
            String name = mongo.listDatabaseNames().into(new ArrayList<>()).stream().filter(n -> n.endsWith("_register_" + registerId))
                    .findFirst().orElseThrow();
            MongoDatabase database = mongo.getDatabase(name);
            String previousHash = database.getCollection("dockets").find(Filters.eq("_id", height - 1)).first().getString("hash");
            for (long h = height; h < size; h++) {
                Document stored = database.getCollection("dockets").find(Filters.eq("_id", h)).first();
                List<ObjectNode> transactions = new ArrayList<>();
                for (String txId : stored.getList("transactionIds", String.class)) {
                    ObjectNode tx = (ObjectNode) LedgerFixture.JSON.readTree(database.getCollection("transactions").find(Filters.eq("_id", txId))
                            .first().getString("raw"));
                    if (h == height) {
                        ObjectNode forged = attacker.action(registerId, 1_000_000);
                        database.getCollection("transactions").deleteOne(Filters.eq("_id", txId));
                        database.getCollection("transactions").insertOne(new Document("_id", forged.path("txId").asString()).append("height", h)
                                .append("raw", CanonicalJson.string(forged)).append("type", "action").append("sender", attacker.sender)
                                .append("recipients", List.of(attacker.recipient)).append("instanceId", forged.path("instanceId").asString())
                                .append("blueprintId", null).append("timestamp", forged.path("timestamp").asString()));
                        tx = forged;
                    }
                    transactions.add(tx);
                }
                JsonNode docket = attacker.docket(registerId, h, previousHash, transactions, key).path("docket");
                database.getCollection("dockets").updateOne(Filters.eq("_id", h), Updates.combine(Updates.set("raw", CanonicalJson.string(docket)),
                        Updates.set("hash", docket.path("hash").asString()), Updates.set("transactionIds", ChainRules.transactionIds(docket))));
                previousHash = docket.path("hash").asString();
            }
        }
    }

    private Path export(String registerId, String file) throws Exception {
        Path path = work.resolve(file);
        HttpResponse<String> export = front.get("/api/registers/" + registerId + "/export", admin);
        assertThat(export.statusCode()).isEqualTo(200);
        Files.writeString(path, export.body());
        return path;
    }

    private void awaitHead(String registerId, long treeSize) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            HttpResponse<String> head = front.get("/api/registers/" + registerId + "/head", admin);
            return head.statusCode() == 200 && Json.read(head.body()).path("treeSize").asLong() >= treeSize;
        });
    }

    private record Result(int exit, String output) {
    }

    private Result cairn(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(SharedCluster.repositoryRoot().resolve("bin/cairn").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
        builder.environment().put("CAIRN_TOKEN", admin);
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new Result(process.exitValue(), output);
    }
}
