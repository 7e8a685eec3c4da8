package dev.cairn.register.ledger;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.cairn.ledger.LedgerHashes;
import dev.cairn.ledger.MerkleTree;
import dev.cairn.register.RegisterServiceApplication;
import dev.cairn.testsupport.JwksServer;
import dev.cairn.testsupport.LedgerFixture;
import dev.cairn.testsupport.ReplicaHttp;
import dev.cairn.testsupport.TestStores;
import dev.cairn.testsupport.EmbeddedMongo;

import static dev.cairn.testsupport.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two register replicas on one MongoDB: the docket write path (idempotent, one docket per
 * height however the replicas race, chain rules), what readers see, proofs, and the chain
 * check finding tampering done directly in the database.
 */
class RegisterLedgerIT {

    private static final JwksServer JWKS = new JwksServer();
    private static final String ORG = UUID.randomUUID().toString();
    private static EmbeddedMongo mongo;
    private static MongoClient direct;
    private static ConfigurableApplicationContext first;
    private static ConfigurableApplicationContext second;

    private final LedgerFixture fixture = new LedgerFixture();
    private final String admin = JWKS.userToken("admin-" + UUID.randomUUID(), ORG, "Administrator");
    private final String validator = JWKS.serviceToken("validator-service", null, "register:read register:write-docket");
    private String registerId;
    private String genesisHash;

    @BeforeAll
    static void start() {
        mongo = new EmbeddedMongo();
        String uri = mongo.uri();
        direct = MongoClients.create(uri);
        first = replica(uri);
        second = replica(uri);
    }

    private static ConfigurableApplicationContext replica(String mongoUri) {
        return new SpringApplicationBuilder(RegisterServiceApplication.class).run("--server.port=0", "--spring.mongodb.uri=" + mongoUri + "/cairn",
                "--spring.data.redis.url=" + TestStores.endpoints().redisUri(), "--cairn.auth.jwks-uris=" + JWKS.uri(),
                "--cairn.register.database-prefix=test");
    }

    @AfterAll
    static void stop() {
        first.close();
        second.close();
        direct.close();
        mongo.close();
        JWKS.close();
    }

    @BeforeEach
    void registerWithGenesis() {
        HttpResponse<String> created = call(first, "POST", "/api/registers", admin, "{\"name\":\"Ledger " + UUID.randomUUID() + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        registerId = json(created).path("id").asString();
        assertThat(json(created).path("status").asString()).isEqualTo("AWAITING_GENESIS");

        ObjectNode genesis = fixture.docket(registerId, 0, LedgerHashes.GENESIS_PREVIOUS_HASH, List.of(fixture.genesis(registerId, ORG)));
        HttpResponse<String> sealed = call(second, "POST", dockets(), validator, genesis.toString());
        assertThat(sealed.statusCode()).as(sealed.body()).isEqualTo(201);
        genesisHash = LedgerFixture.hash(genesis);
        JsonNode register = json(call(first, "GET", "/api/registers/" + registerId, admin, null));
        assertThat(register.path("status").asString()).isEqualTo("ONLINE");
        assertThat(register.path("height").asLong()).isZero();
        assertThat(register.path("latestDocketHash").asString()).isEqualTo(genesisHash);
    }

    @Test
    void aValidatorWhoseLeaseWasTakenOverCannotWriteAnyMore() {
        ObjectNode byNewLeader = fixture.docket(registerId, 1, genesisHash, List.of(fixture.action(registerId, 1)));
        byNewLeader.put("leaseEpoch", 7);
        assertThat(call(first, "POST", dockets(), validator, byNewLeader.toString()).statusCode()).isEqualTo(201);

        ObjectNode byOldLeader = fixture.docket(registerId, 2, LedgerFixture.hash(byNewLeader), List.of(fixture.action(registerId, 2)));
        byOldLeader.put("leaseEpoch", 6);
        HttpResponse<String> stale = call(second, "POST", dockets(), validator, byOldLeader.toString());
        assertProblem(stale, 409, "stale-lease");
        assertThat(json(stale).path("currentEpoch").asLong()).isEqualTo(7);
        byOldLeader.put("leaseEpoch", 8);
        assertThat(call(second, "POST", dockets(), validator, byOldLeader.toString()).statusCode()).isEqualTo(201);
        byOldLeader.put("leaseEpoch", "eight");
        assertProblem(call(second, "POST", dockets(), validator, byOldLeader.toString()), 400, "invalid-docket");
    }

    @Test
    void onlyCairnsOwnServicesListRegistersByStatus() {
        HttpResponse<String> waiting = call(first, "POST", "/api/registers", admin, "{\"name\":\"Waiting " + UUID.randomUUID() + "\"}");
        String waitingId = json(waiting).path("id").asString();
        JsonNode listed = json(call(second, "GET", "/api/registers?status=AWAITING_GENESIS&limit=1000", validator, null));
        List<String> ids = new java.util.ArrayList<>();
        listed.values().forEach(r -> ids.add(r.path("id").asString()));
        assertThat(ids).contains(waitingId).doesNotContain(registerId);

        assertProblem(call(second, "GET", "/api/registers?status=AWAITING_GENESIS", admin, null), 403, "forbidden");
        assertProblem(call(second, "GET", "/api/registers?status=SLEEPING", validator, null), 400, "invalid-status");
        String organisationService = JWKS.serviceToken("integration", ORG, "register:read");
        assertProblem(call(second, "GET", "/api/registers?status=ONLINE", organisationService, null), 403, "forbidden");
    }

    @Test
    void theSameDocketAgainAnswersTheSameAndOnlyTheNextHeightLinkedToTheLatestIsAccepted() {
        ObjectNode one = fixture.docket(registerId, 1, genesisHash, List.of(fixture.action(registerId, 1), fixture.action(registerId, 2)));
        HttpResponse<String> stored = call(first, "POST", dockets(), validator, one.toString());
        HttpResponse<String> again = call(second, "POST", dockets(), validator, one.toString());
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(json(again)).isEqualTo(json(stored));

        ObjectNode other = fixture.docket(registerId, 1, genesisHash, List.of(fixture.action(registerId, 3)));
        assertProblem(call(second, "POST", dockets(), validator, other.toString()), 409, "height-taken");
        ObjectNode gap = fixture.docket(registerId, 3, LedgerFixture.hash(one), List.of(fixture.action(registerId, 4)));
        assertProblem(call(first, "POST", dockets(), validator, gap.toString()), 409, "height-not-next");
        ObjectNode unlinked = fixture.docket(registerId, 2, genesisHash, List.of(fixture.action(registerId, 5)));
        assertProblem(call(first, "POST", dockets(), validator, unlinked.toString()), 409, "previous-hash-mismatch");
        ObjectNode replayed = fixture.docket(registerId, 2, LedgerFixture.hash(one),
                List.of(fixture.action(registerId, 6), (ObjectNode) one.path("transactions").get(0)));
        assertProblem(call(first, "POST", dockets(), validator, replayed.toString()), 409, "transaction-sealed");

        JsonNode latest = json(call(second, "GET", dockets() + "/latest", admin, null));
        assertThat(latest.path("height").asLong()).isEqualTo(1);
        assertThat(json(call(first, "GET", "/api/registers/" + registerId + "/verify", admin, null)).path("ok").asBoolean()).isTrue();
        // the transaction of the refused docket at height 2 is not visible anywhere
        String refusedTx = replayed.path("transactions").get(0).path("txId").asString();
        assertThat(call(first, "GET", "/api/registers/" + registerId + "/transactions/" + refusedTx, admin, null).statusCode()).isEqualTo(404);
    }

    @Test
    void twoReplicasRacingForOneHeightSealExactlyOneDocketEveryTime() throws Exception {
        String previous = genesisHash;
        for (int height = 1; height <= 15; height++) {
            ObjectNode a = fixture.docket(registerId, height, previous, List.of(fixture.action(registerId, height), fixture.action(registerId, -height)));
            ObjectNode b = fixture.docket(registerId, height, previous, List.of(fixture.action(registerId, 1000 + height)));
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<HttpResponse<String>> viaFirst = CompletableFuture.supplyAsync(() -> await(go, () -> call(first, "POST", dockets(), validator, a.toString())));
            CompletableFuture<HttpResponse<String>> viaSecond = CompletableFuture.supplyAsync(() -> await(go, () -> call(second, "POST", dockets(), validator, b.toString())));
            go.countDown();
            List<Integer> statuses = List.of(viaFirst.get().statusCode(), viaSecond.get().statusCode());
            assertThat(statuses).as("height %d: %s / %s", height, viaFirst.get().body(), viaSecond.get().body()).containsExactlyInAnyOrder(201, 409);
            previous = viaFirst.get().statusCode() == 201 ? LedgerFixture.hash(a) : LedgerFixture.hash(b);
            ObjectNode loser = viaFirst.get().statusCode() == 201 ? b : a;
            for (JsonNode tx : loser.path("transactions").values()) {
                assertThat(call(second, "GET", "/api/registers/" + registerId + "/transactions/" + tx.path("txId").asString(), admin, null).statusCode())
                        .isEqualTo(404);
                // the writer that lost removed what it had staged
                assertThat(direct.getDatabase("test_register_" + registerId).getCollection("transactions").countDocuments(Filters.eq("_id", tx.path("txId").asString()))).isZero();
            }
        }
        JsonNode verified = json(call(second, "GET", "/api/registers/" + registerId + "/verify", admin, null));
        assertThat(verified.path("ok").asBoolean()).as(verified.toString()).isTrue();
        assertThat(verified.path("dockets").asLong()).isEqualTo(16);
        assertThat(direct.getDatabase("test_register_" + registerId).getCollection("dockets").countDocuments()).isEqualTo(16);
    }

    @Test
    void badDocketsAreRefusedWithAReasonAndStoreNothing() {
        ObjectNode forgedTx = fixture.action(registerId, 7);
        forgedTx.set("payload", LedgerFixture.JSON.createObjectNode().put("amount", 7000));
        assertProblem(call(first, "POST", dockets(), validator, fixture.docket(registerId, 1, genesisHash, List.of(forgedTx)).toString()),
                400, "invalid-docket");
        ObjectNode badSignature = fixture.docket(registerId, 1, genesisHash, List.of(fixture.action(registerId, 8)));
        ((ObjectNode) badSignature.path("docket").path("signature")).put("value", "AAAA");
        assertProblem(call(first, "POST", dockets(), validator, badSignature.toString()), 400, "invalid-docket");
        assertProblem(call(first, "POST", dockets(), validator, "{\"docket\":{},\"transactions\":[]}"), 400, "invalid-docket");
        assertProblem(call(first, "POST", dockets(), validator, "[1,2]"), 400, "invalid-docket");

        String user = JWKS.userToken("member-" + UUID.randomUUID(), ORG, "Administrator");
        ObjectNode good = fixture.docket(registerId, 1, genesisHash, List.of(fixture.action(registerId, 9)));
        assertThat(call(first, "POST", dockets(), user, good.toString()).statusCode()).isEqualTo(403);
        assertThat(json(call(first, "GET", dockets() + "/latest", admin, null)).path("height").asLong()).isZero();
        assertThat(direct.getDatabase("test_register_" + registerId).getCollection("transactions").countDocuments()).isEqualTo(1);

        assertProblem(call(first, "GET", "/api/registers/not-an-id", admin, null), 400, "invalid-register-id");
        assertProblem(call(first, "GET", dockets() + "/minus-one", admin, null), 400, "invalid-height");
        assertProblem(call(first, "GET", "/api/registers/" + registerId + "/transactions/xyz", admin, null), 400, "invalid-transaction-id");
        assertProblem(call(first, "GET", "/api/registers/resolve?did=did:other:thing", admin, null), 400, "invalid-did");
        assertThat(call(first, "GET", "/api/registers/" + "0".repeat(32), admin, null).statusCode()).isEqualTo(404);
        String stranger = JWKS.userToken("stranger", UUID.randomUUID().toString(), "Administrator");
        assertThat(call(first, "GET", "/api/registers/" + registerId, stranger, null).statusCode()).isEqualTo(404);
        assertThat(call(first, "GET", dockets() + "/0", stranger, null).statusCode()).isEqualTo(404);
    }

    @Test
    void readsPagesProofsAndDids() {
        List<ObjectNode> txs = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            txs.add(fixture.action(registerId, i));
        }
        ObjectNode one = fixture.docket(registerId, 1, genesisHash, txs);
        assertThat(call(first, "POST", dockets(), validator, one.toString()).statusCode()).isEqualTo(201);

        JsonNode page = json(call(second, "GET", "/api/registers/" + registerId + "/transactions?sender=" + fixture.sender + "&size=3&page=1", admin, null));
        assertThat(page.path("total").asLong()).isEqualTo(7); // seven actions from this sender (the genesis is the validator's)
        assertThat(page.path("items").size()).isEqualTo(3);
        JsonNode capped = json(call(second, "GET", "/api/registers/" + registerId + "/transactions?recipient=" + fixture.recipient + "&size=5000", admin, null));
        assertThat(capped.path("size").asInt()).isEqualTo(100);
        assertThat(capped.path("capped").asBoolean()).isTrue();
        assertThat(capped.path("maxSize").asInt()).isEqualTo(100);

        String txId = txs.get(4).path("txId").asString();
        JsonNode resolved = json(call(first, "GET", "/api/registers/resolve?did=did:cairn:register:" + registerId + "/tx/" + txId, admin, null));
        assertThat(resolved.path("transaction")).isEqualTo(txs.get(4));
        assertThat(resolved.path("height").asLong()).isEqualTo(1);
        JsonNode wallet = json(call(second, "GET", "/api/query/wallets/" + fixture.recipient + "/transactions", admin, null));
        assertThat(wallet.path("total").asLong()).isEqualTo(7); // the seven actions; the genesis has no recipients

        JsonNode proof = json(call(second, "GET", "/api/registers/" + registerId + "/transactions/" + txId + "/proof", admin, null));
        List<byte[]> path = new ArrayList<>();
        proof.path("path").values().forEach(p -> path.add(HexFormat.of().parseHex(p.asString())));
        byte[] root = HexFormat.of().parseHex(proof.path("merkleRoot").asString());
        byte[] leaf = HexFormat.of().parseHex(proof.path("leafHash").asString());
        assertThat(proof.path("leafIndex").asInt()).isEqualTo(4);
        assertThat(MerkleTree.verifyInclusion(4, 7, leaf, path, root)).isTrue();
        path.get(1)[0] ^= 0x01;
        assertThat(MerkleTree.verifyInclusion(4, 7, leaf, path, root)).isFalse();

        ObjectNode two = fixture.docket(registerId, 2, LedgerFixture.hash(one), List.of(fixture.action(registerId, 99)));
        assertThat(call(first, "POST", dockets(), validator, two.toString()).statusCode()).isEqualTo(201);
        JsonNode consistency = json(call(first, "GET", "/api/registers/" + registerId + "/consistency?first=2&second=3", admin, null));
        List<byte[]> proofPath = new ArrayList<>();
        consistency.path("proof").values().forEach(p -> proofPath.add(HexFormat.of().parseHex(p.asString())));
        byte[] firstRoot = MerkleTree.root(List.of(LedgerHashes.bytes(genesisHash), LedgerHashes.bytes(LedgerFixture.hash(one))));
        assertThat(consistency.path("firstRoot").asString()).isEqualTo(LedgerHashes.hex(firstRoot));
        assertThat(MerkleTree.verifyConsistency(2, 3, firstRoot, HexFormat.of().parseHex(consistency.path("secondRoot").asString()), proofPath)).isTrue();
        assertProblem(call(first, "GET", "/api/registers/" + registerId + "/consistency?first=2&second=9", admin, null), 400, "invalid-tree-size");
    }

    @Test
    void changingOneByteInTheDatabaseIsFoundAndLocated() {
        ObjectNode one = fixture.docket(registerId, 1, genesisHash, List.of(fixture.action(registerId, 10), fixture.action(registerId, 11)));
        ObjectNode two = fixture.docket(registerId, 2, LedgerFixture.hash(one), List.of(fixture.action(registerId, 12)));
        assertThat(call(first, "POST", dockets(), validator, one.toString()).statusCode()).isEqualTo(201);
        assertThat(call(first, "POST", dockets(), validator, two.toString()).statusCode()).isEqualTo(201);
        var database = direct.getDatabase("test_register_" + registerId);

        String txId = one.path("transactions").get(1).path("txId").asString();
        String raw = database.getCollection("transactions").find(Filters.eq("_id", txId)).first().getString("raw");
        database.getCollection("transactions").updateOne(Filters.eq("_id", txId), Updates.set("raw", raw.replace("\"amount\":11", "\"amount\":91")));
        JsonNode report = json(call(second, "GET", "/api/registers/" + registerId + "/verify", admin, null));
        assertThat(report.path("ok").asBoolean()).isFalse();
        assertThat(report.path("height").asLong()).isEqualTo(1);
        assertThat(report.path("reason").asString()).contains(txId);
        database.getCollection("transactions").updateOne(Filters.eq("_id", txId), Updates.set("raw", raw));

        Document docket = database.getCollection("dockets").find(Filters.eq("_id", 2L)).first();
        String docketRaw = docket.getString("raw");
        database.getCollection("dockets").updateOne(Filters.eq("_id", 2L), Updates.set("raw", docketRaw.replace("validator-test", "validator-tesu")));
        report = json(call(first, "GET", "/api/registers/" + registerId + "/verify", admin, null));
        assertThat(report.path("ok").asBoolean()).isFalse();
        assertThat(report.path("height").asLong()).isEqualTo(2);
        database.getCollection("dockets").updateOne(Filters.eq("_id", 2L), Updates.set("raw", docketRaw));

        // the same record spelt another way hashes the same, but is not what was signed
        database.getCollection("transactions").updateOne(Filters.eq("_id", txId), Updates.set("raw", raw.replace("\"amount\":11", "\"amount\":11.0")));
        report = json(call(first, "GET", "/api/registers/" + registerId + "/verify", admin, null));
        assertThat(report.path("height").asLong()).isEqualTo(1);
        assertThat(report.path("reason").asString()).contains("canonical");
        database.getCollection("transactions").updateOne(Filters.eq("_id", txId), Updates.set("raw", raw));

        // what the register keeps to seal the next docket by is checked against the chain too
        Object keys = docket.get("sealingKeys");
        database.getCollection("dockets").updateOne(Filters.eq("_id", 2L), Updates.set("sealingKeys", List.of()));
        report = json(call(first, "GET", "/api/registers/" + registerId + "/verify", admin, null));
        assertThat(report.path("height").asLong()).isEqualTo(2);
        assertThat(report.path("reason").asString()).contains("sealing keys");
        database.getCollection("dockets").updateOne(Filters.eq("_id", 2L), Updates.set("sealingKeys", keys));
        assertThat(json(call(first, "GET", "/api/registers/" + registerId + "/verify", admin, null)).path("ok").asBoolean()).isTrue();

        database.getCollection("transactions").updateOne(Filters.eq("_id", txId), Updates.set("sender", "cairn1someoneelse"));
        report = json(call(first, "GET", "/api/registers/" + registerId + "/verify", admin, null));
        assertThat(report.path("height").asLong()).isEqualTo(1);
        assertThat(report.path("reason").asString()).contains("sender");
    }

    @Test
    void aDocketSignedByAKeyTheRegisterDoesNotTrustIsRefusedAndNothingIsStored() {
        ObjectNode action = fixture.action(registerId, 41);
        ObjectNode foreign = fixture.docket(registerId, 1, genesisHash, List.of(action), LedgerFixture.newKey());
        HttpResponse<String> refused = call(first, "POST", dockets(), validator, foreign.toString());
        assertProblem(refused, 400, "invalid-docket");
        assertThat(json(refused).path("detail").asString()).contains("not signed by a sealing key of the register");
        assertThat(call(second, "GET", dockets() + "/1", admin, null).statusCode()).isEqualTo(404);
        assertThat(call(second, "GET", "/api/registers/" + registerId + "/transactions/" + action.path("txId").asString(), admin, null)
                .statusCode()).isEqualTo(404);
        assertThat(json(call(first, "GET", "/api/registers/" + registerId, admin, null)).path("height").asLong()).isZero();
    }

    @Test
    void aKeyChangeSealedOnTheRegisterHandsSealingToTheNewKeyAndRetiresTheOld() {
        byte[] newKey = LedgerFixture.newKey();
        byte[] oldKey = fixture.validatorKey();
        String sealingKeys = "/api/registers/" + registerId + "/sealing-keys";
        assertThat(json(call(first, "GET", sealingKeys, admin, null)).path("changes").size()).isZero();
        ObjectNode notByASealer = fixture.keyChange(registerId, LedgerFixture.newKey(), List.of(newKey), List.of(oldKey));
        assertProblem(call(first, "POST", dockets(), validator,
                fixture.docket(registerId, 1, genesisHash, List.of(notByASealer)).toString()), 400, "invalid-docket");

        ObjectNode change = fixture.keyChange(registerId, oldKey, List.of(newKey), List.of(oldKey));
        ObjectNode one = fixture.docket(registerId, 1, genesisHash, List.of(change, fixture.action(registerId, 51)));
        HttpResponse<String> written = call(first, "POST", dockets(), validator, one.toString());
        assertThat(written.statusCode()).as(written.body()).isEqualTo(201);
        assertThat(json(written).path("sealingKeys").get(0).path("id").asString()).isEqualTo(LedgerFixture.sealingKey(newKey).id());
        assertThat(json(written).path("treeSize").asLong()).isEqualTo(2);

        ObjectNode byRetired = fixture.docket(registerId, 2, LedgerFixture.hash(one), List.of(fixture.action(registerId, 52)), oldKey);
        assertProblem(call(second, "POST", dockets(), validator, byRetired.toString()), 400, "invalid-docket");
        ObjectNode byNew = fixture.docket(registerId, 2, LedgerFixture.hash(one), List.of(fixture.action(registerId, 52)), newKey);
        assertThat(call(second, "POST", dockets(), validator, byNew.toString()).statusCode()).isEqualTo(201);

        JsonNode keys = json(call(first, "GET", "/api/registers/" + registerId + "/sealing-keys", admin, null));
        assertThat(keys.path("sealingKeys").size()).isEqualTo(1);
        assertThat(keys.path("changes").get(0).path("height").asLong()).isEqualTo(1);
        assertThat(keys.path("changes").get(0).path("effectiveFrom").asLong()).isEqualTo(2);
        assertThat(keys.path("changes").get(0).path("txId").asString()).isEqualTo(change.path("txId").asString());

        // a second change: both replicas list both, the one that listed the first from what it had found already
        byte[] thirdKey = LedgerFixture.newKey();
        ObjectNode again = fixture.keyChange(registerId, newKey, List.of(thirdKey), List.of(newKey));
        ObjectNode three = fixture.docket(registerId, 3, LedgerFixture.hash(byNew), List.of(again), newKey);
        assertThat(call(second, "POST", dockets(), validator, three.toString()).statusCode()).isEqualTo(201);
        for (ConfigurableApplicationContext replica : List.of(first, second)) {
            JsonNode both = json(call(replica, "GET", sealingKeys, admin, null));
            assertThat(both.path("sealingKeys").get(0).path("id").asString()).isEqualTo(LedgerFixture.sealingKey(thirdKey).id());
            assertThat(both.path("changes").size()).isEqualTo(2);
            assertThat(both.path("changes").get(1).path("height").asLong()).isEqualTo(3);
            assertThat(both.path("changes").get(1).path("txId").asString()).isEqualTo(again.path("txId").asString());
        }
        JsonNode verified = json(call(second, "GET", "/api/registers/" + registerId + "/verify", admin, null));
        assertThat(verified.path("ok").asBoolean()).as(verified.toString()).isTrue();
    }

    @Test
    void signedTreeHeadsAreCheckedAgainstTheChainAndOnlyEverGrow() throws Exception {
        List<ObjectNode> sealed = sealTwoDockets(61);
        ObjectNode one = sealed.get(0);
        ObjectNode two = sealed.get(1);
        String head = "/api/registers/" + registerId + "/head";
        assertProblem(call(first, "GET", head, admin, null), 404, "no-signed-head");
        List<String> hashes = List.of(genesisHash, LedgerFixture.hash(one), LedgerFixture.hash(two));

        ObjectNode three = LedgerFixture.head(registerId, hashes, fixture.validatorKey());
        assertThat(call(first, "POST", head, validator, three.toString()).statusCode()).isEqualTo(200);
        assertThat(call(second, "POST", head, validator, LedgerFixture.head(registerId, hashes.subList(0, 2), fixture.validatorKey()).toString())
                .statusCode()).isEqualTo(200);
        JsonNode served = json(call(second, "GET", head, admin, null));
        assertThat(served.path("treeSize").asLong()).as("a smaller head does not replace a larger one").isEqualTo(3);
        assertThat(served.path("rootHash").asString())
                .isEqualTo(json(call(first, "GET", "/api/registers/" + registerId + "/consistency?first=3", admin, null)).path("secondRoot").asString());

        assertProblem(call(first, "POST", head, validator, LedgerFixture.head(registerId, hashes, LedgerFixture.newKey()).toString()), 400,
                "invalid-tree-head");
        List<String> otherHistory = List.of(genesisHash, LedgerFixture.hash(two), LedgerFixture.hash(one));
        assertProblem(call(first, "POST", head, validator, LedgerFixture.head(registerId, otherHistory, fixture.validatorKey()).toString()), 400,
                "invalid-tree-head");
        ObjectNode tooLarge = LedgerFixture.head(registerId, List.of(genesisHash, LedgerFixture.hash(one), LedgerFixture.hash(two), genesisHash),
                fixture.validatorKey());
        assertProblem(call(first, "POST", head, validator, tooLarge.toString()), 400, "invalid-tree-head");
        assertProblem(call(first, "POST", head, admin, three.toString()), 403, "forbidden");
        assertProblem(call(first, "GET", "/api/registers/" + registerId + "/consistency?first=0", admin, null), 400, "invalid-tree-size");

        // the export ends with the head, and the offline verifier checks it against the chain
        List<String> lines = call(second, "GET", "/api/registers/" + registerId + "/export", admin, null).body().lines().toList();
        assertThat(lines.get(lines.size() - 1)).startsWith("{\"type\":\"head\"");
        assertThat(verifyExport(lines).ok()).isTrue();
    }

    @Test
    void aHistoryRewrittenInTheDatabaseAndResignedWithAFreshKeyIsFoundAtTheFirstRewrittenHeight() throws Exception {
        List<ObjectNode> sealed = sealTwoDockets(71);
        ObjectNode one = sealed.get(0);
        ObjectNode two = sealed.get(1);
        assertThat(call(first, "POST", "/api/registers/" + registerId + "/head", validator,
                LedgerFixture.head(registerId, List.of(genesisHash, LedgerFixture.hash(one), LedgerFixture.hash(two)), fixture.validatorKey())
                        .toString()).statusCode()).isEqualTo(200);

        // the attacker changes the transaction at height 1, recomputes every id, root and hash after it and signs with a key of their own
        byte[] attacker = LedgerFixture.newKey();
        ObjectNode forgedTx = fixture.action(registerId, 7100);
        ObjectNode forgedOne = fixture.docket(registerId, 1, genesisHash, List.of(forgedTx), attacker);
        ObjectNode forgedTwo = fixture.docket(registerId, 2, LedgerFixture.hash(forgedOne), List.of((ObjectNode) two.path("transactions").get(0)),
                attacker);
        var database = direct.getDatabase("test_register_" + registerId);
        String originalTx = one.path("transactions").get(0).path("txId").asString();
        database.getCollection("transactions").deleteOne(Filters.eq("_id", originalTx));
        database.getCollection("transactions").insertOne(DocketWriter.transactionDocument(forgedTx, 1));
        for (ObjectNode forged : List.of(forgedOne, forgedTwo)) {
            JsonNode docket = forged.path("docket");
            database.getCollection("dockets").updateOne(Filters.eq("_id", docket.path("height").asLong()), Updates.combine(
                    Updates.set("raw", dev.cairn.ledger.CanonicalJson.string(docket)), Updates.set("hash", docket.path("hash").asString()),
                    Updates.set("transactionIds", dev.cairn.ledger.ChainRules.transactionIds(docket))));
        }
        JsonNode report = json(call(second, "GET", "/api/registers/" + registerId + "/verify", admin, null));
        assertThat(report.path("ok").asBoolean()).isFalse();
        assertThat(report.path("height").asLong()).isEqualTo(1);
        assertThat(report.path("reason").asString()).contains("not signed by a sealing key");

        List<String> lines = call(second, "GET", "/api/registers/" + registerId + "/export", admin, null).body().lines().toList();
        dev.cairn.ledger.ChainCheck.Result offline = verifyExport(lines);
        assertThat(offline.ok()).isFalse();
        assertThat(offline.height()).isEqualTo(1);
    }

    @Test
    void aWriterThatStoppedHalfWayLeavesNothingVisibleAndTheNextWriteCompletesTheChain() {
        var database = direct.getDatabase("test_register_" + registerId);
        // a writer stored its transaction for height 1 and stopped before its docket
        ObjectNode orphan = fixture.action(registerId, 21);
        database.getCollection("transactions").insertOne(DocketWriter.transactionDocument(orphan, 1));
        String orphanPath = "/api/registers/" + registerId + "/transactions/" + orphan.path("txId").asString();
        assertThat(call(first, "GET", orphanPath, admin, null).statusCode()).isEqualTo(404);
        assertThat(json(call(first, "GET", "/api/registers/" + registerId + "/transactions?sender=" + fixture.sender, admin, null))
                .path("items").size()).isZero();

        // another docket takes height 1: the orphan stays invisible, through either replica and in queries
        ObjectNode one = fixture.docket(registerId, 1, genesisHash, List.of(fixture.action(registerId, 22)));
        assertThat(call(second, "POST", dockets(), validator, one.toString()).statusCode()).isEqualTo(201);
        assertThat(call(first, "GET", orphanPath, admin, null).statusCode()).isEqualTo(404);
        assertThat(call(second, "GET", orphanPath, admin, null).statusCode()).isEqualTo(404);
        assertThat(json(call(first, "GET", "/api/registers/" + registerId + "/transactions?sender=" + fixture.sender, admin, null))
                .path("items").size()).isOne();
        // one that lost the race for height 1 and stopped before clearing up is not shown either
        ObjectNode loser = fixture.action(registerId, 23);
        database.getCollection("transactions").insertOne(DocketWriter.transactionDocument(loser, 1));
        assertThat(call(first, "GET", "/api/registers/" + registerId + "/transactions/" + loser.path("txId").asString(), admin, null)
                .statusCode()).isEqualTo(404);

        // the orphan can still be sealed later, in a docket of its own
        ObjectNode two = fixture.docket(registerId, 2, LedgerFixture.hash(one), List.of(orphan));
        assertThat(call(first, "POST", dockets(), validator, two.toString()).statusCode()).isEqualTo(201);
        assertThat(json(call(second, "GET", orphanPath, admin, null)).path("height").asLong()).isEqualTo(2);

        // a writer that stopped after sealing but before moving the registry's head: readers see the sealed head
        direct.getDatabase("cairn").getCollection("registers").updateOne(Filters.eq("_id", registerId),
                Updates.combine(Updates.set("height", 0L), Updates.set("latestDocketHash", genesisHash)));
        JsonNode register = json(call(second, "GET", "/api/registers/" + registerId, admin, null));
        assertThat(register.path("height").asLong()).isEqualTo(2);
        assertThat(register.path("latestDocketHash").asString()).isEqualTo(LedgerFixture.hash(two));
        assertThat(json(call(first, "GET", "/api/registers/" + registerId + "/verify", admin, null)).path("ok").asBoolean()).isTrue();
    }

    @Test
    void anExportChecksOfflineAndAChangedLineIsFound() throws Exception {
        ObjectNode one = fixture.docket(registerId, 1, genesisHash, List.of(fixture.action(registerId, 31), fixture.action(registerId, 32)));
        ObjectNode two = fixture.docket(registerId, 2, LedgerFixture.hash(one), List.of(fixture.action(registerId, 33)));
        assertThat(call(first, "POST", dockets(), validator, one.toString()).statusCode()).isEqualTo(201);
        assertThat(call(second, "POST", dockets(), validator, two.toString()).statusCode()).isEqualTo(201);

        HttpResponse<String> export = call(second, "GET", "/api/registers/" + registerId + "/export", admin, null);
        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.headers().firstValue("Content-Type").orElse("")).startsWith("application/x-ndjson");
        List<String> lines = export.body().lines().toList();
        assertThat(lines).hasSize(1 + 3 + 4); // header, three dockets, four transactions

        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "register-export-sample.jsonl"), export.body()); // for a look by hand
        dev.cairn.ledger.ChainCheck.Result result = verifyExport(lines);
        assertThat(result.ok()).as(result.toString()).isTrue();
        assertThat(result.dockets()).isEqualTo(3);
        assertThat(result.transactions()).isEqualTo(4);
        JsonNode consistency = json(call(first, "GET", "/api/registers/" + registerId + "/consistency?first=3", admin, null));
        assertThat(result.treeHead()).isEqualTo(consistency.path("secondRoot").asString());

        List<String> altered = new ArrayList<>(lines);
        altered.set(4, altered.get(4).replace("\"amount\":31", "\"amount\":39"));
        assertThat(altered.get(4)).isNotEqualTo(lines.get(4));
        result = verifyExport(altered);
        assertThat(result.ok()).isFalse();
        assertThat(result.height()).isEqualTo(1);
        List<String> truncated = new ArrayList<>(lines);
        truncated.remove(4);
        assertThat(verifyExport(truncated).reason()).contains("missing");
    }

    @Test
    void aReplicaFindsTheLatestDocketAfterTheOtherWroteManyAndTheChainCheckFindsADocketDeletedBelowIt() {
        // the first replica has seen height 0 (it read the register); the second seals 40 dockets after it
        String previous = genesisHash;
        for (int height = 1; height <= 40; height++) {
            ObjectNode docket = fixture.docket(registerId, height, previous, List.of(fixture.action(registerId, 8000 + height)));
            assertThat(call(second, "POST", dockets(), validator, docket.toString()).statusCode()).isEqualTo(201);
            previous = LedgerFixture.hash(docket);
        }
        assertThat(json(call(first, "GET", "/api/registers/" + registerId + "/dockets/latest", admin, null)).path("height").asLong()).isEqualTo(40);
        JsonNode page = json(call(first, "GET", "/api/registers/" + registerId + "/dockets?from=35&limit=20", admin, null));
        assertThat(page.path("items").size()).isEqualTo(6);
        assertThat(page.path("items").get(0).path("height").asLong()).isEqualTo(35);
        ObjectNode next = fixture.docket(registerId, 41, previous, List.of(fixture.action(registerId, 8041)));
        assertThat(call(first, "POST", dockets(), validator, next.toString()).statusCode()).isEqualTo(201);
        ObjectNode after = fixture.docket(registerId, 42, LedgerFixture.hash(next), List.of(fixture.action(registerId, 8042)));
        assertThat(call(second, "POST", dockets(), validator, after.toString()).statusCode()).isEqualTo(201);
        assertThat(json(call(second, "GET", "/api/registers/" + registerId, admin, null)).path("height").asLong()).isEqualTo(42);
        assertThat(json(call(second, "GET", "/api/registers/" + registerId + "/verify", admin, null)).path("ok").asBoolean()).isTrue();

        // a docket deleted in the database below the latest: the chain check stops at it
        direct.getDatabase("test_register_" + registerId).getCollection("dockets").deleteOne(Filters.eq("_id", 17L));
        JsonNode report = json(call(first, "GET", "/api/registers/" + registerId + "/verify", admin, null));
        assertThat(report.path("ok").asBoolean()).isFalse();
        assertThat(report.path("height").asLong()).isEqualTo(17);
        assertThat(report.path("reason").asString()).contains("docket missing");
    }

    @Test
    void aChainReadWaitsForTheNextDocketSealedThroughTheOtherReplica() throws Exception {
        String chain = "/api/registers/" + registerId + "/chain?from=0&limit=10&waitMillis=5000";
        CompletableFuture<HttpResponse<String>> waiting = CompletableFuture.supplyAsync(() -> call(first, "GET", chain, admin, null));
        Thread.sleep(300);
        ObjectNode one = fixture.docket(registerId, 1, genesisHash, List.of(fixture.action(registerId, 91)));
        assertThat(call(second, "POST", dockets(), validator, one.toString()).statusCode()).isEqualTo(201);

        JsonNode answer = json(waiting.get(30, java.util.concurrent.TimeUnit.SECONDS));
        assertThat(answer.path("sealedHeight").asLong()).isEqualTo(1);
        assertThat(answer.path("dockets").get(1).path("docket").path("hash").asString()).isEqualTo(LedgerFixture.hash(one));
        // nothing above the latest within the time: the latest, as without waiting
        JsonNode timedOut = json(call(second, "GET", "/api/registers/" + registerId + "/chain?from=1&waitMillis=200", admin, null));
        assertThat(timedOut.path("sealedHeight").asLong()).isEqualTo(1);
        assertThat(timedOut.path("dockets").size()).isOne();
        assertProblem(call(first, "GET", "/api/registers/" + registerId + "/chain?from=0&waitMillis=5001", admin, null), 400, "invalid-wait");
        assertProblem(call(first, "GET", "/api/registers/" + registerId + "/chain?from=0&waitMillis=-1", admin, null), 400, "invalid-wait");
    }

    /** Seals dockets 1 and 2 of one action each; answers their request bodies. */
    private List<ObjectNode> sealTwoDockets(int amount) {
        ObjectNode one = fixture.docket(registerId, 1, genesisHash, List.of(fixture.action(registerId, amount)));
        ObjectNode two = fixture.docket(registerId, 2, LedgerFixture.hash(one), List.of(fixture.action(registerId, amount + 1)));
        assertThat(call(first, "POST", dockets(), validator, one.toString()).statusCode()).isEqualTo(201);
        assertThat(call(first, "POST", dockets(), validator, two.toString()).statusCode()).isEqualTo(201);
        return List.of(one, two);
    }

    private static dev.cairn.ledger.ChainCheck.Result verifyExport(List<String> lines) throws java.io.IOException {
        return dev.cairn.ledger.verify.ExportVerifier.verify(new java.io.BufferedReader(new java.io.StringReader(String.join("\n", lines))));
    }

    private String dockets() {
        return "/api/registers/" + registerId + "/dockets";
    }

    private static <T> T await(CountDownLatch latch, java.util.function.Supplier<T> action) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return action.get();
    }

    private static JsonNode json(HttpResponse<String> response) {
        return LedgerFixture.JSON.readTree(response.body());
    }

    private HttpResponse<String> call(ConfigurableApplicationContext replica, String method, String path, String token, String body) {
        return ReplicaHttp.call(replica, method, path, token, body);
    }
}
