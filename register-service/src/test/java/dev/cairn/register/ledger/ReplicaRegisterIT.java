package dev.cairn.register.ledger;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.cairn.ledger.CanonicalJson;
import dev.cairn.ledger.LedgerHashes;
import dev.cairn.ledger.MerkleTree;
import dev.cairn.ledger.ObjectIds;
import dev.cairn.register.RegisterServiceApplication;
import dev.cairn.testsupport.TestStores;
import dev.cairn.testsupport.JwksServer;
import dev.cairn.testsupport.LedgerFixture;
import dev.cairn.testsupport.ReplicaHttp;
import dev.cairn.testsupport.EmbeddedMongo;
import dev.cairn.localcluster.process.Ports;

import static dev.cairn.testsupport.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Read-only replicas of registers sealed on another installation, on two register service
 * replicas sharing one MongoDB: a chain built and signed as the home's validators would seal it
 * arrives in batches through the replica write path, and is then served as a home register is
 * (dockets, verify, signed head, events, the chain read); a batch that fails any check stores
 * nothing; a replica is written by nothing else, and no validator is shown it to seal.
 */
class ReplicaRegisterIT {

    private static final JwksServer JWKS = new JwksServer();
    private static final String ORG = UUID.randomUUID().toString();
    private static EmbeddedMongo mongo;
    private static MongoClient direct;
    private static RedisServer redis;
    private static ConfigurableApplicationContext first;
    private static ConfigurableApplicationContext second;

    private final LedgerFixture home = new LedgerFixture();
    private final String admin = JWKS.userToken("admin-" + UUID.randomUUID(), ORG, "Administrator");
    private final String validator = JWKS.serviceToken("validator-service", null, "register:read register:write-docket");
    private final String peer = JWKS.serviceToken("peer-service", null, "register:read register:write-replica");
    private final String homeNode = HexFormat.of().formatHex(UUID.randomUUID().toString().getBytes(), 0, 20);
    private String registerId;
    /** The sealing key the home rotates to at height 3. */
    private final byte[] rotated = LedgerFixture.newKey();
    /** The home's chain: {docket, transactions} bodies from height 0, and their hashes. */
    private final List<ObjectNode> chain = new ArrayList<>();
    private final List<String> hashes = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        int redisPort = Ports.free();
        redis = RedisServer.newRedisServer().port(redisPort).bind("127.0.0.1").setting("save \"\"").build();
        redis.start();
        TestStores.markRevocationListComplete("redis://127.0.0.1:" + redisPort);
        mongo = new EmbeddedMongo();
        String uri = mongo.uri();
        direct = MongoClients.create(uri);
        first = replica(uri, redisPort);
        second = replica(uri, redisPort);
    }

    private static ConfigurableApplicationContext replica(String mongoUri, int redisPort) {
        return new SpringApplicationBuilder(RegisterServiceApplication.class).run("--server.port=0", "--spring.mongodb.uri=" + mongoUri + "/cairn",
                "--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + redisPort, "--cairn.auth.jwks-uris=" + JWKS.uri(),
                "--cairn.register.database-prefix=replica");
    }

    @AfterAll
    static void stop() throws Exception {
        first.close();
        second.close();
        direct.close();
        mongo.close();
        redis.stop();
        JWKS.close();
    }

    /** A home chain of 6 dockets for a new register id, with a sealing key rotation at height 3. */
    @BeforeEach
    void homeChain() {
        registerId = ObjectIds.next();
        seal(List.of(home.genesis(registerId, ORG)), home.validatorKey());
        seal(List.of(home.action(registerId, 1), home.action(registerId, 2)), home.validatorKey());
        seal(List.of(home.action(registerId, 3)), home.validatorKey());
        seal(List.of(home.action(registerId, 4), home.keyChange(registerId, home.validatorKey(), List.of(rotated), List.of(home.validatorKey()))),
                home.validatorKey());
        seal(List.of(home.action(registerId, 5)), rotated);
        seal(List.of(home.action(registerId, 6), home.action(registerId, 7)), rotated);
    }

    private void seal(List<ObjectNode> transactions, byte[] signer) {
        int height = chain.size();
        ObjectNode body = home.docket(registerId, height, height == 0 ? LedgerHashes.GENESIS_PREVIOUS_HASH : hashes.get(height - 1), transactions,
                signer);
        chain.add(body);
        hashes.add(LedgerFixture.hash(body));
    }

    @Test
    void aReplicaTakesTheHomesChainInBatchesAndServesItAsTheHomeSealedIt() throws Exception {
        HttpResponse<String> created = createReplica(registerId, hashes.get(0));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode view = json(created);
        assertThat(view.path("id").asString()).isEqualTo(registerId);
        assertThat(view.path("status").asString()).isEqualTo("AWAITING_GENESIS");
        assertThat(view.path("height").asLong()).isEqualTo(-1);
        assertThat(view.path("replica").path("homeNodeId").asString()).isEqualTo(homeNode);
        assertThat(view.path("replica").path("genesisHash").asString()).isEqualTo(hashes.get(0));
        HttpResponse<String> again = createReplica(registerId, hashes.get(0));
        assertThat(again.statusCode()).as("the same replica again, as a retry").isEqualTo(200);
        assertThat(json(again).path("id").asString()).isEqualTo(registerId);
        assertProblem(createReplica(registerId, hashes.get(1)), 409, "register-exists");

        ObjectNode head = LedgerFixture.head(registerId, hashes.subList(0, 4), home.validatorKey());
        HttpResponse<String> written = call(first, "POST", replicaDockets(), peer, batch(0, 4, head));
        assertThat(written.statusCode()).as(written.body()).isEqualTo(200);
        assertThat(json(written).path("registerId").asString()).isEqualTo(registerId);
        assertThat(json(written).path("height").asLong()).isEqualTo(3);
        assertThat(json(written).path("hash").asString()).isEqualTo(hashes.get(3));
        assertThat(json(written).path("stored").asInt()).isEqualTo(4);
        assertThat(json(written).path("treeSize").asLong()).isEqualTo(4);
        assertThat(json(written).path("rootHash").asString()).isEqualTo(root(4));

        JsonNode register = json(call(second, "GET", "/api/registers/" + registerId, admin, null));
        assertThat(register.path("status").asString()).isEqualTo("ONLINE");
        assertThat(register.path("height").asLong()).isEqualTo(3);
        assertThat(register.path("replica").path("homeNodeId").asString()).isEqualTo(homeNode);
        assertThat(canonical(json(call(second, "GET", "/api/registers/" + registerId + "/head", admin, null)))).as("the home's signed head")
                .isEqualTo(canonical(head));

        HttpResponse<String> resent = call(second, "POST", replicaDockets(), peer, batch(0, 4, head));
        assertThat(resent.statusCode()).as(resent.body()).isEqualTo(200);
        assertThat(json(resent).path("stored").asInt()).as("the same batch again stores nothing").isZero();
        assertThat(json(resent).path("height").asLong()).isEqualTo(3);
        assertThat(json(resent).path("rootHash").asString()).isEqualTo(root(4));

        // an overlapping batch, sent through both service replicas at once, as two peer replicas might
        ObjectNode whole = LedgerFixture.head(registerId, hashes, LedgerFixture.newKey());
        String overlapping = batch(2, 6, null);
        CompletableFuture<HttpResponse<String>> one = CompletableFuture.supplyAsync(() -> call(first, "POST", replicaDockets(), peer, overlapping));
        CompletableFuture<HttpResponse<String>> two = CompletableFuture.supplyAsync(() -> call(second, "POST", replicaDockets(), peer, overlapping));
        assertThat(one.get().statusCode()).as(one.get().body()).isEqualTo(200);
        assertThat(two.get().statusCode()).as(two.get().body()).isEqualTo(200);
        assertThat(json(one.get()).path("stored").asInt() + json(two.get()).path("stored").asInt()).as("each docket stored once").isEqualTo(2);
        assertThat(json(one.get()).path("height").asLong()).isEqualTo(5);
        assertThat(count("dockets")).isEqualTo(6);
        assertProblem(call(first, "POST", replicaDockets(), peer, batch(5, 6, whole)), 400, "invalid-docket");

        JsonNode verified = json(call(first, "GET", "/api/registers/" + registerId + "/verify", admin, null));
        assertThat(verified.path("ok").asBoolean()).as(verified.toString()).isTrue();
        assertThat(verified.path("dockets").asLong()).isEqualTo(6);
        assertThat(verified.path("transactions").asLong()).isEqualTo(9);
        assertThat(verified.path("genesisHash").asString()).isEqualTo(hashes.get(0));
        assertThat(verified.path("treeHead").asString()).isEqualTo(root(6));

        // the home's head over all six reaches the replica through the head path too
        ObjectNode latestHead = LedgerFixture.head(registerId, hashes, rotated);
        HttpResponse<String> headPosted = call(second, "POST", "/api/registers/" + registerId + "/head", peer, latestHead.toString());
        assertThat(headPosted.statusCode()).as(headPosted.body()).isEqualTo(200);
        assertThat(canonical(json(call(first, "GET", "/api/registers/" + registerId + "/head", admin, null)))).isEqualTo(canonical(latestHead));

        // read as any register: dockets, transactions, proofs, sealing keys, events
        String txId = chain.get(5).path("transactions").get(1).path("txId").asString();
        assertThat(canonical(json(call(first, "GET", "/api/registers/" + registerId + "/dockets/5", admin, null)).path("docket")))
                .isEqualTo(canonical(chain.get(5).path("docket")));
        assertThat(json(call(first, "GET", "/api/registers/" + registerId + "/transactions/" + txId, admin, null)).path("height").asLong())
                .isEqualTo(5);
        JsonNode proof = json(call(first, "GET", "/api/registers/" + registerId + "/transactions/" + txId + "/proof", admin, null));
        assertThat(proof.path("docketHash").asString()).isEqualTo(hashes.get(5));
        assertThat(proof.path("merkleRoot").asString()).isEqualTo(chain.get(5).path("docket").path("merkleRoot").asString());
        assertThat(MerkleTree.verifyInclusion(proof.path("leafIndex").asLong(), proof.path("treeSize").asLong(),
                LedgerHashes.bytes(proof.path("leafHash").asString()), hexes(proof.path("path")), LedgerHashes.bytes(proof.path("merkleRoot").asString())))
                .as("the inclusion proof verifies against the docket's Merkle root").isTrue();
        JsonNode consistency = json(call(second, "GET", "/api/registers/" + registerId + "/consistency?first=4&second=6", admin, null));
        assertThat(consistency.path("firstRoot").asString()).as("the root the home signed at 4").isEqualTo(root(4));
        assertThat(consistency.path("secondRoot").asString()).isEqualTo(root(6));
        assertThat(MerkleTree.verifyConsistency(4, 6, LedgerHashes.bytes(root(4)), LedgerHashes.bytes(root(6)), hexes(consistency.path("proof"))))
                .as("the consistency proof verifies").isTrue();
        JsonNode bySender = json(call(second, "GET", "/api/registers/" + registerId + "/transactions?sender=" + home.sender, admin, null));
        assertThat(bySender.path("total").asLong()).as("the home's seven actions, queried on the replica").isEqualTo(7);
        assertThat(bySender.path("items").size()).isEqualTo(7);
        assertThat(json(call(first, "GET", "/api/registers/" + registerId + "/sealing-keys", admin, null)).path("changes").size()).isEqualTo(1);
        JsonNode events = json(call(second, "GET", "/api/registers/" + registerId + "/events?afterSeq=0&limit=1000", admin, null));
        assertThat(events.path("headSeq").asLong()).as("a docket's events: sealed, one per transaction, height").isEqualTo(6 * 2 + 9);
    }

    @Test
    void theChainReadAnswersTheRecordsAsSignedInOrder() {
        assertThat(createReplica(registerId, hashes.get(0)).statusCode()).isEqualTo(201);
        assertThat(call(first, "POST", replicaDockets(), peer, batch(0, 6, null)).statusCode()).isEqualTo(200);

        JsonNode page = json(call(second, "GET", "/api/registers/" + registerId + "/chain?from=1&limit=2", peer, null));
        assertThat(page.path("registerId").asString()).isEqualTo(registerId);
        assertThat(page.path("sealedHeight").asLong()).isEqualTo(5);
        assertThat(page.path("dockets").size()).isEqualTo(2);
        for (int i = 0; i < 2; i++) {
            JsonNode entry = page.path("dockets").get(i);
            assertThat(canonical(entry.path("docket"))).as("the docket as signed").isEqualTo(canonical(chain.get(1 + i).path("docket")));
            assertThat(canonical(entry.path("transactions"))).as("its transactions as signed, in its order")
                    .isEqualTo(canonical(chain.get(1 + i).path("transactions")));
            assertThat(LedgerHashes.docketHash(entry.path("docket"))).as("the hash recomputes from the answer").isEqualTo(hashes.get(1 + i));
        }
        JsonNode all = json(call(second, "GET", "/api/registers/" + registerId + "/chain", admin, null));
        assertThat(all.path("dockets").size()).as("from 0, by default, a user of the organisation").isEqualTo(6);
        assertThat(json(call(second, "GET", "/api/registers/" + registerId + "/chain?limit=1000", peer, null)).path("dockets").size()).isEqualTo(6);
        JsonNode beyond = json(call(second, "GET", "/api/registers/" + registerId + "/chain?from=6", peer, null));
        assertThat(beyond.path("dockets").size()).isZero();
        assertThat(beyond.path("sealedHeight").asLong()).isEqualTo(5);
        assertProblem(call(second, "GET", "/api/registers/" + registerId + "/chain?limit=0", peer, null), 400, "invalid-limit");
        assertProblem(call(second, "GET", "/api/registers/" + registerId + "/chain?from=-1", peer, null), 400, "invalid-height");
        String stranger = JWKS.userToken("stranger", UUID.randomUUID().toString(), "Administrator");
        assertProblem(call(second, "GET", "/api/registers/" + registerId + "/chain", stranger, null), 404);

        // the chain read of a register sealed here gives what a replica elsewhere needs
        String homeId = json(call(first, "POST", "/api/registers", admin, "{\"name\":\"Home " + UUID.randomUUID() + "\"}")).path("id").asString();
        ObjectNode genesis = home.docket(homeId, 0, LedgerHashes.GENESIS_PREVIOUS_HASH, List.of(home.genesis(homeId, ORG)));
        ObjectNode next = home.docket(homeId, 1, LedgerFixture.hash(genesis), List.of(home.action(homeId, 1), home.action(homeId, 2)));
        assertThat(call(first, "POST", "/api/registers/" + homeId + "/dockets", validator, genesis.toString()).statusCode()).isEqualTo(201);
        assertThat(call(first, "POST", "/api/registers/" + homeId + "/dockets", validator, next.toString()).statusCode()).isEqualTo(201);
        JsonNode homeChain = json(call(second, "GET", "/api/registers/" + homeId + "/chain", peer, null));
        assertThat(canonical(homeChain.path("dockets").get(1).path("docket"))).isEqualTo(canonical(next.path("docket")));
        assertThat(canonical(homeChain.path("dockets").get(1).path("transactions"))).isEqualTo(canonical(next.path("transactions")));
        assertThat(homeChain.path("sealedHeight").asLong()).isEqualTo(1);
    }

    @Test
    void aBatchThatFailsAnyCheckStoresNothing() {
        assertThat(createReplica(registerId, hashes.get(0)).statusCode()).isEqualTo(201);
        assertThat(call(first, "POST", replicaDockets(), peer, batch(0, 2, null)).statusCode()).isEqualTo(200);
        long dockets = count("dockets");
        long transactions = count("transactions");

        // one byte of a transaction of the batch's second docket: an amount of 4 becomes 5
        ObjectNode tampered = body(2, 4, null);
        ObjectNode payload = (ObjectNode) tampered.path("dockets").get(1).path("transactions").get(0).path("payload");
        assertThat(payload.path("amount").asInt()).isEqualTo(4);
        payload.put("amount", 5);
        assertInvalid(call(first, "POST", replicaDockets(), peer, tampered.toString()), 3, "does not match its content");

        // a docket sealed by a key the register does not trust
        ObjectNode stranger = body(2, 4, null);
        ObjectNode foreign = home.docket(registerId, 3, hashes.get(2), List.of(home.action(registerId, 99)), LedgerFixture.newKey());
        ((ArrayNode) stranger.path("dockets")).set(1, foreign);
        assertInvalid(call(second, "POST", replicaDockets(), peer, stranger.toString()), 3, "not signed by a sealing key");

        // a signed head whose root is not the chain's
        List<String> forked = new ArrayList<>(hashes.subList(0, 4));
        forked.set(1, "cd".repeat(32));
        assertInvalid(call(first, "POST", replicaDockets(), peer, batch(2, 4, LedgerFixture.head(registerId, forked, home.validatorKey()))), 3,
                "does not match the chain");

        // a gap, a docket out of place, a batch too large or empty
        assertInvalid(call(first, "POST", replicaDockets(), peer, batch(3, 5, null)), 2, "next height is 2");
        ObjectNode swapped = body(2, 4, null);
        JsonNode third = swapped.path("dockets").get(0);
        ((ArrayNode) swapped.path("dockets")).set(0, swapped.path("dockets").get(1));
        ((ArrayNode) swapped.path("dockets")).set(1, third);
        assertProblem(call(first, "POST", replicaDockets(), peer, swapped.toString()), 400, "invalid-docket");
        ObjectNode tooMany = LedgerFixture.JSON.createObjectNode();
        for (int i = 0; i < 101; i++) {
            tooMany.withArray("dockets").add(chain.get(2).deepCopy());
        }
        assertProblem(call(first, "POST", replicaDockets(), peer, tooMany.toString()), 400, "invalid-batch");
        assertProblem(call(first, "POST", replicaDockets(), peer, "{\"dockets\":[]}"), 400, "invalid-batch");

        assertThat(count("dockets")).as("nothing stored").isEqualTo(dockets);
        assertThat(count("transactions")).as("nothing stored, not even the valid first docket's transactions").isEqualTo(transactions);
        assertThat(json(call(first, "GET", "/api/registers/" + registerId, admin, null)).path("height").asLong()).isEqualTo(1);
        assertProblem(call(first, "GET", "/api/registers/" + registerId + "/head", admin, null), 404, "no-signed-head");

        HttpResponse<String> good = call(first, "POST", replicaDockets(), peer, batch(2, 4, LedgerFixture.head(registerId, hashes.subList(0, 4),
                home.validatorKey())));
        assertThat(good.statusCode()).as(good.body()).isEqualTo(200);
        assertThat(json(good).path("stored").asInt()).isEqualTo(2);
    }

    @Test
    void aGenesisOtherThanThePinnedOneIsRefused() {
        String otherGenesis = "ab".repeat(32);
        assertThat(createReplica(registerId, otherGenesis).statusCode()).isEqualTo(201);
        assertInvalid(call(first, "POST", replicaDockets(), peer, batch(0, 3, null)), 0, "pinned");
        assertThat(count("dockets")).isZero();
        assertThat(count("transactions")).isZero();
        assertThat(json(call(first, "GET", "/api/registers/" + registerId, admin, null)).path("status").asString()).isEqualTo("AWAITING_GENESIS");
    }

    @Test
    void anotherValidlySignedDocketAtAStoredHeightIsAHeightTakenConflict() {
        assertThat(createReplica(registerId, hashes.get(0)).statusCode()).isEqualTo(201);
        assertThat(call(first, "POST", replicaDockets(), peer, batch(0, 3, null)).statusCode()).isEqualTo(200);
        long dockets = count("dockets");
        long transactions = count("transactions");

        ObjectNode fork = home.docket(registerId, 2, hashes.get(1), List.of(home.action(registerId, 42)));
        ObjectNode offered = LedgerFixture.JSON.createObjectNode();
        offered.withArray("dockets").add(chain.get(1).deepCopy()).add(fork);
        HttpResponse<String> taken = call(second, "POST", replicaDockets(), peer, offered.toString());
        assertProblem(taken, 409, "height-taken");
        assertThat(json(taken).path("height").asLong()).isEqualTo(2);
        assertThat(json(taken).path("sealedHash").asString()).isEqualTo(hashes.get(2));
        assertThat(json(taken).path("offeredHash").asString()).isEqualTo(LedgerFixture.hash(fork));

        // a docket there that is not validly signed is not evidence of anything: invalid
        ObjectNode forged = fork.deepCopy();
        ((ObjectNode) forged.path("docket")).put("validatorId", "someone-else");
        ObjectNode invalid = LedgerFixture.JSON.createObjectNode();
        invalid.withArray("dockets").add(forged);
        assertInvalid(call(second, "POST", replicaDockets(), peer, invalid.toString()), 2, "hash does not match");
        assertThat(count("dockets")).isEqualTo(dockets);
        assertThat(count("transactions")).isEqualTo(transactions);
    }

    @Test
    void aReplicaIsWrittenOnlyByThePeerServiceAndNoValidatorIsShownIt() {
        assertThat(createReplica(registerId, hashes.get(0)).statusCode()).isEqualTo(201);
        JsonNode awaiting = json(call(first, "GET", "/api/registers?status=AWAITING_GENESIS&limit=1000", validator, null));
        String waitingHome = json(call(first, "POST", "/api/registers", admin, "{\"name\":\"Waiting " + UUID.randomUUID() + "\"}")).path("id")
                .asString();
        List<String> ids = new ArrayList<>();
        json(call(second, "GET", "/api/registers?status=AWAITING_GENESIS&limit=1000", validator, null)).values()
                .forEach(r -> ids.add(r.path("id").asString()));
        assertThat(ids).contains(waitingHome).doesNotContain(registerId);
        assertThat(awaiting.values()).noneMatch(r -> r.path("id").asString().equals(registerId));
        JsonNode homeView = json(call(first, "GET", "/api/registers/" + waitingHome, admin, null));
        assertThat(homeView.has("replica")).isTrue();
        assertThat(homeView.path("replica").isNull()).as("a register sealed here has no replica member").isTrue();

        // the validator write path, even for the right genesis
        HttpResponse<String> sealed = call(first, "POST", "/api/registers/" + registerId + "/dockets", validator, chain.get(0).toString());
        assertProblem(sealed, 409, "register-is-replica");
        assertThat(json(sealed).path("detail").asString()).contains(homeNode);
        assertThat(count("dockets")).isZero();
        assertThat(count("transactions")).isZero();
        assertProblem(call(first, "POST", "/api/registers/" + registerId + "/dockets", peer, chain.get(0).toString()), 403, "forbidden");

        // only the peer service writes replicas, and only replicas
        assertProblem(call(first, "POST", replicaDockets(), validator, batch(0, 1, null)), 403, "forbidden");
        assertProblem(call(first, "POST", "/api/registers/" + waitingHome + "/replica/dockets", peer, batch(0, 1, null)), 409,
                "register-not-replica");
        assertProblem(createReplica(ObjectIds.next(), hashes.get(0), validator), 403, "forbidden");
        String organisationPeer = JWKS.serviceToken("integration", UUID.randomUUID().toString(), "register:read register:write-replica");
        assertProblem(createReplica(ObjectIds.next(), hashes.get(0), organisationPeer), 404);
        assertProblem(createReplica(waitingHome, hashes.get(0)), 409, "register-exists");

        // heads: the peer service's for a replica, a validator's for a register sealed here
        assertThat(call(first, "POST", replicaDockets(), peer, batch(0, 2, null)).statusCode()).isEqualTo(200);
        ObjectNode head = LedgerFixture.head(registerId, hashes.subList(0, 2), home.validatorKey());
        assertProblem(call(first, "POST", "/api/registers/" + registerId + "/head", validator, head.toString()), 403, "forbidden");
        assertThat(call(first, "POST", "/api/registers/" + registerId + "/head", peer, head.toString()).statusCode()).isEqualTo(200);
        ObjectNode wrong = LedgerFixture.head(registerId, List.of(hashes.get(1), hashes.get(0)), home.validatorKey());
        assertProblem(call(first, "POST", "/api/registers/" + registerId + "/head", peer, wrong.toString()), 400, "invalid-tree-head");
        assertProblem(call(first, "POST", "/api/registers/" + waitingHome + "/head", peer, head.toString()), 403, "forbidden");
    }

    @Test
    void aReplicaNeedsAWellFormedIdHomeAndGenesis() {
        assertProblem(createReplica("not-a-register-id", hashes.get(0)), 400, "invalid-register-id");
        assertProblem(call(first, "POST", "/api/registers/replicas", peer, replicaRequest(registerId, hashes.get(0)).put("homeNodeId", "XYZ")
                .toString()), 400, "invalid-replica");
        assertProblem(createReplica(registerId, hashes.get(0).toUpperCase()), 400, "invalid-replica");
        ObjectNode nameless = replicaRequest(registerId, hashes.get(0));
        nameless.remove("name");
        assertProblem(call(first, "POST", "/api/registers/replicas", peer, nameless.toString()), 400);
        ObjectNode noOrganisation = replicaRequest(registerId, hashes.get(0));
        noOrganisation.remove("organizationId");
        assertProblem(call(first, "POST", "/api/registers/replicas", peer, noOrganisation.toString()), 400);
        assertProblem(call(first, "GET", "/api/registers/" + registerId, admin, null), 404);
    }

    private HttpResponse<String> createReplica(String id, String genesisHash) {
        return createReplica(id, genesisHash, peer);
    }

    private HttpResponse<String> createReplica(String id, String genesisHash, String token) {
        return call(first, "POST", "/api/registers/replicas", token, replicaRequest(id, genesisHash).toString());
    }

    private ObjectNode replicaRequest(String id, String genesisHash) {
        ObjectNode request = LedgerFixture.JSON.createObjectNode();
        request.put("id", id).put("organizationId", ORG).put("name", "Replica of " + id).put("description", "copied from " + homeNode)
                .put("homeNodeId", homeNode).put("genesisHash", genesisHash);
        return request;
    }

    /** The body of a replica write: the home's dockets {@code from} to {@code to} (exclusive), and the head when given. */
    private ObjectNode body(int from, int to, ObjectNode head) {
        ObjectNode body = LedgerFixture.JSON.createObjectNode();
        ArrayNode dockets = body.putArray("dockets");
        chain.subList(from, to).forEach(d -> dockets.add(d.deepCopy()));
        if (head != null) {
            body.set("head", head);
        }
        return body;
    }

    private String batch(int from, int to, ObjectNode head) {
        return body(from, to, head).toString();
    }

    private static List<byte[]> hexes(JsonNode array) {
        List<byte[]> out = new ArrayList<>();
        array.values().forEach(v -> out.add(LedgerHashes.bytes(v.asString())));
        return out;
    }

    private void assertInvalid(HttpResponse<String> response, long height, String reason) {
        assertProblem(response, 400, "invalid-docket");
        assertThat(json(response).path("height").asLong()).as(response.body()).isEqualTo(height);
        assertThat(json(response).path("reason").asString()).contains(reason);
    }

    private String replicaDockets() {
        return "/api/registers/" + registerId + "/replica/dockets";
    }

    private long count(String collection) {
        return direct.getDatabase("replica_register_" + registerId).getCollection(collection).countDocuments();
    }

    private String root(int size) {
        return LedgerHashes.hex(MerkleTree.root(hashes.subList(0, size).stream().map(LedgerHashes::bytes).toList()));
    }

    /** Records compare as their canonical JSON: what they are signed over, whatever the order of their members. */
    private static String canonical(JsonNode record) {
        return CanonicalJson.string(record);
    }

    private static JsonNode json(HttpResponse<String> response) {
        return LedgerFixture.JSON.readTree(response.body());
    }

    private static HttpResponse<String> call(ConfigurableApplicationContext replica, String method, String path, String token, String body) {
        return ReplicaHttp.call(replica, method, path, token, body);
    }
}
