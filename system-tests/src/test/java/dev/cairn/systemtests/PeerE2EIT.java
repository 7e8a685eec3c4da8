package dev.cairn.systemtests;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.cairn.localcluster.ClusterSpec;
import dev.cairn.localcluster.LocalCluster;
import dev.cairn.localcluster.process.ManagedProcess;
import dev.cairn.testsupport.LedgerFixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Installations that replicate registers: A (the shared cluster) is a register's home; B, a
 * second installation on this machine (its own stores, ports and node key, two peer-service
 * replicas), learns of A from one seed, subscribes, and holds a read-only replica that verifies
 * with A's head, through a kill of B's replicating peer replica and of every process of A that
 * serves B (its gateways, peer and register replicas) mid-sync (B then shows a verified prefix
 * and resumes from it); C joins through A alone
 * and discovers B. A rogue peer that relays A's dockets and tampers with them is refused by B,
 * which stores nothing of it, and bad envelopes are refused with a reason.
 */
@ExtendWith(SharedCluster.class)
class PeerE2EIT {

    private static final String JSON = "application/json";
    private static final List<LocalCluster> STARTED = new ArrayList<>();

    @AfterAll
    static void stopInstallations() {
        STARTED.forEach(LocalCluster::close);
    }

    @Test
    void aRegisterIsReplicatedVerifiedAndResumedAcrossKillsAndTamperedDataIsRefused(LocalCluster a) throws Exception {
        Client atA = new Client(a.frontUrl(), Installation.adminToken(a));
        String registerId = atA.onlineRegister("Shared with B");
        submit(atA, registerId, 1000);
        long homeHeight = atA.json("/api/registers/" + registerId).path("height").asLong();
        HttpResponse<String> advertised = atA.post("/api/peers/registers/" + registerId + "/advertise", "");
        assertThat(advertised.statusCode()).as(advertised.body()).isEqualTo(200);
        String nodeA = atA.json("/api/peers/self").path("nodeId").asString();
        assertThat(nodeA).matches("[0-9a-f]{40}");

        LocalCluster b = start("b", a.frontUrl(), 1, null, false);
        Client atB = Client.bootstrap(b);
        String nodeB = atB.json("/api/peers/self").path("nodeId").asString();
        assertThat(nodeB).isNotEqualTo(nodeA);
        await().atMost(Duration.ofSeconds(60)).until(() -> advertises(atB, nodeA, registerId));

        // subscribe; at B's first stored docket kill B's replicating peer replica (mid-batch) and all of A
        // that serves B: its gateways and its peer and register replicas (what else A runs plays no part)
        HttpResponse<String> subscribed = atB.post("/api/peers/registers/" + registerId + "/subscribe", "{}");
        assertThat(subscribed.statusCode()).as(subscribed.body()).isEqualTo(201);
        long started = System.nanoTime();
        ManagedProcess replicating = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> b.replicas("peer-service").stream().filter(peer -> replicatedDockets(peer) > 0).findFirst(), Optional::isPresent)
                .orElseThrow();
        b.kill(replicating);
        List<ManagedProcess> servingB = new ArrayList<>(a.gateways());
        servingB.addAll(a.replicas("peer-service"));
        servingB.addAll(a.replicas("register-service"));
        servingB.forEach(a::kill);
        long heightAtKill = atB.json("/api/registers/" + registerId).path("height").asLong();
        assertThat(heightAtKill).as("B was mid-sync when A died").isLessThan(homeHeight);
        b.restart(replicating);
        // while A is down, B shows a whole prefix of the register: no partial docket, and it verifies
        JsonNode prefix = atB.json("/api/registers/" + registerId + "/verify");
        assertThat(prefix.path("ok").asBoolean()).as(prefix.toString()).isTrue();
        assertThat(atB.json("/api/registers/" + registerId).path("height").asLong()).isEqualTo(prefix.path("height").asLong(-2));
        assertThat(prefix.path("height").asLong()).isLessThan(homeHeight);
        a.restartApplications();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .conditionEvaluationListener(condition -> {
                    if (condition.getRemainingTimeInMS() <= condition.getPollInterval().toMillis()) {
                        System.out.println("B's subscriptions at the deadline: " + atB.json("/api/peers/registers"));
                    }
                })
                .until(() -> atB.json("/api/registers/" + registerId).path("height").asLong(-1) == homeHeight);
        double seconds = (System.nanoTime() - started) / 1e9;

        JsonNode verifiedA = atA.json("/api/registers/" + registerId + "/verify");
        JsonNode verifiedB = atB.json("/api/registers/" + registerId + "/verify");
        assertThat(verifiedA.path("ok").asBoolean()).as(verifiedA.toString()).isTrue();
        assertThat(verifiedB.path("ok").asBoolean()).as(verifiedB.toString()).isTrue();
        assertThat(verifiedB.path("transactions").asLong()).isEqualTo(verifiedA.path("transactions").asLong()).isEqualTo(1001);
        assertThat(verifiedB.path("treeHead")).isEqualTo(verifiedA.path("treeHead"));
        await().atMost(Duration.ofSeconds(30)).until(() -> atB.json("/api/registers/" + registerId + "/head").path("treeSize").asLong()
                == atA.json("/api/registers/" + registerId + "/head").path("treeSize").asLong());
        assertThat(atB.json("/api/registers/" + registerId + "/head")).isEqualTo(atA.json("/api/registers/" + registerId + "/head"));
        // proofs and queries answer on B as on A
        JsonNode sealed = atA.json("/api/registers/" + registerId + "/transactions?page=3&size=1").path("items").get(0);
        String txId = sealed.path("txId").asString();
        String sender = sealed.path("transaction").path("sender").asString();
        assertThat(txId).isNotEmpty();
        assertThat(sender).isNotEmpty();
        String proof = "/api/registers/" + registerId + "/transactions/" + txId + "/proof";
        assertThat(atB.json(proof)).isEqualTo(atA.json(proof));
        String consistency = "/api/registers/" + registerId + "/consistency?first=3&second=" + (homeHeight + 1);
        assertThat(atB.json(consistency)).isEqualTo(atA.json(consistency));
        String bySender = "/api/registers/" + registerId + "/transactions?sender=" + sender + "&size=5";
        assertThat(atB.json(bySender).path("total").asLong()).isEqualTo(atA.json(bySender).path("total").asLong()).isPositive();
        assertThat(atB.json(bySender).path("items")).isEqualTo(atA.json(bySender).path("items"));
        JsonNode replica = atB.json("/api/registers/" + registerId);
        assertThat(replica.path("replica").path("homeNodeId").asString()).isEqualTo(nodeA);
        Figures.record("peer replication, A to B", String.format("1,000 transactions in %d dockets replicated and verified in %.1f s "
                + "(batches of 1 docket), through a kill of B's replicating peer replica and of A's gateways, peer and register replicas", homeHeight + 1, seconds));

        // a replica is read-only: the validators refuse transactions for it
        LedgerFixture client = new LedgerFixture();
        HttpResponse<String> local = atB.post("/api/transactions", client.action(registerId, 1).toString());
        assertThat(local.statusCode()).as(local.body()).isEqualTo(409);
        assertThat(local.body()).contains("register-is-replica");

        // new dockets on A reach B while it follows, pulled by exactly one of B's two peer replicas
        long pulledBefore = replicatedDockets(b);
        submit(atA, registerId, 10);
        long newHeight = atA.json("/api/registers/" + registerId).path("height").asLong();
        await().atMost(Duration.ofSeconds(30)).until(() -> atB.json("/api/registers/" + registerId).path("height").asLong() == newHeight);
        // a replica counts a docket once the register service has answered it, just after B serves the height
        await().atMost(Duration.ofSeconds(10)).until(() -> replicatedDockets(b) - pulledBefore >= newHeight - homeHeight);
        assertThat(replicatedDockets(b) - pulledBefore).as("dockets stored by B's peer replicas together: each once")
                .isEqualTo(newHeight - homeHeight);
        JsonNode status = atB.json("/api/peers/registers").path("subscribed").get(0);
        assertThat(status.path("state").asString()).isIn("FOLLOWING", "SYNCING");
        assertThat(status.path("lagDockets").asLong()).isZero();

        // C joins through A alone, admits only A and B, and finds B
        LocalCluster c = start("c", a.frontUrl(), 100, nodeA + "," + nodeB, true);
        Client atC = Client.bootstrap(c);
        await().atMost(Duration.ofSeconds(60)).until(() -> alive(atC, nodeB) && alive(atC, nodeA));

        tamperingPeerIsRefused(a, atA, atB, atC, nodeA, nodeB, c);
    }

    private void tamperingPeerIsRefused(LocalCluster a, Client atA, Client atB, Client atC,
            String nodeA, String nodeB, LocalCluster c) throws Exception {
        String second = atA.onlineRegister("Relayed by a rogue");
        submit(atA, second, 20);
        long secondHeight = atA.json("/api/registers/" + second).path("height").asLong();
        assertThat(atA.post("/api/peers/registers/" + second + "/advertise", "").statusCode()).isEqualTo(200);
        try (RoguePeer rogue = new RoguePeer(URI.create(a.frontUrl()), nodeA)) {
            rogue.introduceTo(URI.create(a.frontUrl()), nodeA);
            await().atMost(Duration.ofSeconds(30)).until(() -> atA.json("/api/peers").findValues("nodeId").stream()
                    .anyMatch(n -> n.asString().equals(rogue.nodeId)));
            await().atMost(Duration.ofSeconds(30)).until(() -> advertises(atB, nodeA, second)); // B learns it at A's next exchange
            rogue.advertise(advertisementOf(atB, nodeA, second));
            rogue.introduceTo(URI.create(atB.base()), nodeB);
            await().atMost(Duration.ofSeconds(30)).until(() -> advertises(atB, rogue.nodeId, second));

            rogue.tamper = RoguePeer.Tamper.TRANSACTION_BYTE;
            HttpResponse<String> subscribed = atB.post("/api/peers/registers/" + second + "/subscribe", "{\"source\":\"" + rogue.nodeId + "\"}");
            assertThat(subscribed.statusCode()).as(subscribed.body()).isEqualTo(201);
            for (RoguePeer.Tamper tamper : List.of(RoguePeer.Tamper.TRANSACTION_BYTE, RoguePeer.Tamper.RESIGNED_DOCKET, RoguePeer.Tamper.HEAD_ROOT)) {
                rogue.tamper = tamper;
                atB.delete("/api/peers/" + rogue.nodeId + "/ban");
                atB.post("/api/peers/registers/" + second + "/resync", "");
                await().atMost(Duration.ofSeconds(30)).until(() -> atB.json("/api/peers").findParents("nodeId").stream()
                        .anyMatch(p -> p.path("nodeId").asString().equals(rogue.nodeId) && p.path("state").asString().equals("BANNED")));
                JsonNode subscription = atB.json("/api/peers/registers").path("subscribed").findParents("registerId").stream()
                        .filter(s -> s.path("registerId").asString().equals(second)).findFirst().orElseThrow();
                assertThat(subscription.path("state").asString()).as(tamper.name()).isEqualTo("STALLED");
                assertThat(subscription.path("lastError").asString()).as(tamper.name()).contains("refused data from node " + rogue.nodeId);
                long stored = atB.json("/api/registers/" + second).path("height").asLong();
                if (tamper == RoguePeer.Tamper.HEAD_ROOT) {
                    // a head is checked with the batch that reaches it: the signed dockets below it may be kept, never the ones it covers
                    assertThat(stored).as(tamper + ": the dockets under the head not stored").isLessThan(secondHeight);
                    JsonNode prefix = atB.json("/api/registers/" + second + "/verify");
                    assertThat(prefix.path("ok").asBoolean()).as(prefix.toString()).isTrue();
                } else {
                    assertThat(stored).as(tamper + ": nothing stored").isEqualTo(-1);
                    assertThat(atB.get("/api/registers/" + second + "/dockets/0").statusCode()).as(tamper.name()).isEqualTo(404);
                }
            }

            equivocationIsKeptAsEvidence(a, atA, atB, nodeA, rogue);

            // bad envelopes: refused with a reason (problem+json), nothing believed
            URI cExchange = URI.create(atC.base() + "/peer/v1/exchange");
            String nodeC = atC.json("/api/peers/self").path("nodeId").asString();
            ObjectNode body = LedgerFixture.JSON.createObjectNode().put("url", rogue.url().toString());
            body.putArray("peers");
            body.putArray("registers");
            assertRefused(atC, cExchange, rogue.seal("exchange", nodeC, null, body), 403, "unknown-node");
            URI bExchange = URI.create(atB.base() + "/peer/v1/exchange");
            atB.delete("/api/peers/" + rogue.nodeId + "/ban");
            ObjectNode stale = rogue.seal("exchange", nodeB, null, body, Instant.now().minus(Duration.ofMinutes(10)), RoguePeer.nonce());
            assertRefused(atB, bExchange, stale, 401, "outside-time-window");
            ObjectNode forged = rogue.seal("exchange", nodeB, null, body);
            forged.put("from", nodeA);
            assertRefused(atB, bExchange, forged, 401, "sender-not-key");
            ObjectNode altered = rogue.seal("exchange", nodeB, null, body);
            ((ObjectNode) altered.path("body")).put("url", "http://evil.example");
            assertRefused(atB, bExchange, altered, 401, "invalid-signature");
            ObjectNode unsigned = rogue.seal("exchange", nodeB, null, body);
            unsigned.remove("signature");
            assertRefused(atB, bExchange, unsigned, 401, "invalid-signature");
            assertRefused(atB, bExchange, rogue.seal("exchange", nodeC, null, body), 403, "not-for-this-node");
            ObjectNode once = rogue.seal("exchange", nodeB, null, body);
            assertThat(atB.postRaw(bExchange, once.toString()).statusCode()).isEqualTo(200);
            assertRefused(atB, bExchange, once, 409, "replayed-message");
            ObjectNode tooMany = LedgerFixture.JSON.createObjectNode().put("registerId", second).put("from", 0).put("limit", 1000).put("waitSeconds", 0);
            assertRefused(atA, URI.create(a.frontUrl() + "/peer/v1/dockets"), rogue.seal("dockets", nodeA, null, tooMany), 400, "batch-too-large");
        }
    }

    /**
     * A register whose sealing key this test holds (it seals the genesis itself, as a validator
     * would), replicated to B through the rogue while it relays honestly; then the rogue serves
     * another docket at a height B holds, validly signed by that key: two histories. B keeps both
     * as evidence, stops the subscription as diverged, and overwrites nothing.
     */
    private void equivocationIsKeptAsEvidence(LocalCluster a, Client atA, Client atB, String nodeA, RoguePeer rogue) {
        LedgerFixture sealer = new LedgerFixture();
        String validator = Installation.serviceToken(a, "validator-service");
        String third = null;
        List<ObjectNode> chain = new ArrayList<>();
        for (int attempt = 0; attempt < 5 && third == null; attempt++) {
            String id = Json.field(atA.post("/api/registers", "{\"name\":\"Forked by its own sealer\"}").body(), "id");
            ObjectNode genesis = sealer.docket(id, 0, dev.cairn.ledger.LedgerHashes.GENESIS_PREVIOUS_HASH, List.of(sealer.genesis(id, "peer tests")));
            if (new Http(a.frontUrl()).post("/api/registers/" + id + "/dockets", validator, JSON, genesis.toString()).statusCode() == 201) {
                third = id;
                chain.add(genesis);
            }
        }
        assertThat(third).as("a register whose genesis this test sealed").isNotNull();
        String registerId = third;
        for (int height = 1; height <= 3; height++) {
            ObjectNode docket = sealer.docket(registerId, height, LedgerFixture.hash(chain.get(height - 1)), List.of(sealer.action(registerId, height)));
            HttpResponse<String> written = new Http(a.frontUrl()).post("/api/registers/" + registerId + "/dockets", validator, JSON, docket.toString());
            assertThat(written.statusCode()).as(written.body()).isEqualTo(201);
            chain.add(docket);
        }
        assertThat(atA.post("/api/peers/registers/" + registerId + "/advertise", "").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> advertises(atB, nodeA, registerId));
        rogue.advertise(advertisementOf(atB, nodeA, registerId));
        rogue.tamper = RoguePeer.Tamper.NONE;
        atB.delete("/api/peers/" + rogue.nodeId + "/ban");
        rogue.introduceTo(URI.create(atB.base()), atB.json("/api/peers/self").path("nodeId").asString());
        await().atMost(Duration.ofSeconds(30)).until(() -> advertises(atB, rogue.nodeId, registerId));
        HttpResponse<String> subscribed = atB.post("/api/peers/registers/" + registerId + "/subscribe", "{\"source\":\"" + rogue.nodeId + "\"}");
        assertThat(subscribed.statusCode()).as(subscribed.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(60)).until(() -> atB.json("/api/registers/" + registerId).path("height").asLong() == 3);

        ObjectNode fork = sealer.docket(registerId, 3, LedgerFixture.hash(chain.get(2)), List.of(sealer.action(registerId, 999)));
        rogue.fork = fork;
        rogue.tamper = RoguePeer.Tamper.FORK;
        await().atMost(Duration.ofSeconds(60)).until(() -> atB.json("/api/peers/registers").path("subscribed").findParents("registerId").stream()
                .anyMatch(s -> s.path("registerId").asString().equals(registerId) && s.path("state").asString().equals("DIVERGED")));
        JsonNode evidence = atB.json("/api/peers/evidence").findParents("registerId").stream()
                .filter(e -> e.path("registerId").asString().equals(registerId)).findFirst().orElseThrow();
        assertThat(evidence.path("height").asLong()).isEqualTo(3);
        assertThat(evidence.path("held").path("hash").asString()).isEqualTo(chain.get(3).path("docket").path("hash").asString());
        assertThat(evidence.path("offered").path("hash").asString()).isEqualTo(fork.path("docket").path("hash").asString());
        assertThat(evidence.path("sourceNodeId").asString()).isEqualTo(rogue.nodeId);
        assertThat(atB.json("/api/registers/" + registerId + "/dockets/3").path("hash").asString()).as("nothing overwritten")
                .isEqualTo(chain.get(3).path("docket").path("hash").asString());
        assertThat(atB.json("/api/registers/" + registerId + "/verify").path("ok").asBoolean()).isTrue();
        rogue.tamper = RoguePeer.Tamper.NONE;
    }

    /** The dockets B's peer-service replicas have handed to its register service, summed over the replicas (their metrics). */
    private static long replicatedDockets(LocalCluster installation) {
        return installation.replicas("peer-service").stream().mapToLong(PeerE2EIT::replicatedDockets).sum();
    }

    private static long replicatedDockets(ManagedProcess replica) {
        long total = 0;
        for (String line : new Http(LocalCluster.url(replica)).get("/actuator/prometheus").body().split("\n")) {
            if (line.startsWith("cairn_replication_dockets_total")) {
                total += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    private static void assertRefused(Client at, URI endpoint, JsonNode envelope, int status, String type) {
        HttpResponse<String> response = at.postRaw(endpoint, envelope.toString());
        assertThat(response.statusCode()).as(type + ": " + response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        assertThat(LedgerFixture.JSON.readTree(response.body()).path("type").asString()).endsWith("/" + type);
    }

    private static JsonNode advertisementOf(Client at, String nodeId, String registerId) {
        for (JsonNode peer : at.json("/api/peers").values()) {
            if (peer.path("nodeId").asString().equals(nodeId)) {
                for (JsonNode r : peer.path("registers").values()) {
                    if (r.path("registerId").asString().equals(registerId)) {
                        return r;
                    }
                }
            }
        }
        throw new AssertionError("node " + nodeId + " does not advertise " + registerId + " at " + at.base());
    }

    private static boolean advertises(Client at, String nodeId, String registerId) {
        try {
            advertisementOf(at, nodeId, registerId);
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }

    private static boolean alive(Client at, String nodeId) {
        for (JsonNode peer : at.json("/api/peers").values()) {
            if (peer.path("nodeId").asString().equals(nodeId) && peer.path("state").asString().equals("ALIVE")) {
                return true;
            }
        }
        return false;
    }

    /** {@code count} transactions in batches of 100, and waits until all are sealed. */
    private static void submit(Client at, String registerId, int count) {
        LedgerFixture client = new LedgerFixture();
        long before = at.json("/api/registers/" + registerId + "/transactions?size=1").path("total").asLong();
        for (int start = 0; start < count; start += 100) {
            ObjectNode batch = LedgerFixture.JSON.createObjectNode();
            var list = batch.putArray("transactions");
            for (int i = start; i < Math.min(count, start + 100); i++) {
                list.add(client.action(registerId, i + 1));
            }
            HttpResponse<String> response = at.post("/api/transactions/batch", batch.toString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        }
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() ->
                at.json("/api/registers/" + registerId + "/transactions?size=1").path("total").asLong() == before + count);
    }

    /**
     * Another installation: one replica of each service it needs (two of the peer service) behind
     * one gateway. The blueprint service is left out, and so are the services the test never uses
     * on an installation that only {@code follows} (the wallet and validator services).
     */
    private static LocalCluster start(String name, String seed, int batchDockets, String allow, boolean follows) {
        ClusterSpec.Builder spec = ClusterSpec.builder(SharedCluster.repositoryRoot())
                .home(Path.of(System.getProperty("cairn.test.home", "target/cairn-home") + "-" + name))
                .replicas(1).replicasOf("peer-service", 2).replicasOf("blueprint-service", 0).jvmOptions(SharedCluster.JVM_OPTIONS)
                .gateways(1).frontPort(0).nginx(ClusterSpec.NginxMode.OFF)
                .mongoBackend(ClusterSpec.MongoBackend.MEMORY).freshData(true).readyTimeout(Duration.ofMinutes(5))
                .environment("CAIRN_PEER_SEEDS", seed).environment("CAIRN_PEER_EXCHANGEINTERVAL", "1s")
                .environment("CAIRN_PEER_BATCHDOCKETS", String.valueOf(batchDockets)).environment("CAIRN_PEER_LONGPOLL", "2s")
                .environment("CAIRN_GATEWAY_HEALTH_INTERVAL", SharedCluster.PROBE_INTERVAL)
                .environment("CAIRN_GATEWAY_RATELIMIT_POLICIES_CLIENT_LIMIT", "1000000")
                .environment("CAIRN_GATEWAY_RATELIMIT_POLICIES_CALLER_LIMIT", "1000000")
                .environment("CAIRN_GATEWAY_RATELIMIT_POLICIES_AUTH_LIMIT", "1000000");
        if (allow != null) {
            spec.environment("CAIRN_PEER_ALLOW", allow);
        }
        if (follows) {
            spec.replicasOf("wallet-service", 0).replicasOf("validator-service", 0);
        }
        LocalCluster cluster = LocalCluster.start(spec.build());
        STARTED.add(cluster);
        return cluster;
    }

    /** An administrator's calls to one installation, through its front. */
    private record Client(String base, String token) {

        static Client bootstrap(LocalCluster cluster) {
            Http front = new Http(cluster.frontUrl());
            HttpResponse<String> response = front.post("/api/tenants/bootstrap", JSON, "{\"organizationName\":\"Peer " + cluster.home().getFileName()
                    + "\",\"adminEmail\":\"" + Installation.ADMIN_EMAIL + "\",\"adminPassword\":\"" + Installation.ADMIN_PASSWORD
                    + "\",\"adminName\":\"Root\"}");
            assertThat(response.statusCode()).as(response.body()).isIn(201, 409);
            return new Client(cluster.frontUrl(), Json.field(Installation.login(front, Installation.ADMIN_EMAIL, Installation.ADMIN_PASSWORD).body(),
                    "accessToken"));
        }

        /**
         * A read, retried as a client is told to by a 503 with Retry-After: while a whole
         * installation restarts on this machine's two cores, the other one's Redis checks can
         * miss their timeout for a moment, and it answers "try again shortly".
         */
        HttpResponse<String> get(String path) {
            HttpResponse<String> response = new Http(base).get(path, token);
            for (int retry = 0; retry < 3 && response.statusCode() == 503 && response.headers().firstValue("Retry-After").isPresent(); retry++) {
                sleep(Duration.ofSeconds(Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow())));
                response = new Http(base).get(path, token);
            }
            return response;
        }

        private static void sleep(Duration duration) {
            try {
                Thread.sleep(duration.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }

        JsonNode json(String path) {
            HttpResponse<String> response = get(path);
            assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
            return Json.read(response.body());
        }

        HttpResponse<String> post(String path, String body) {
            return new Http(base).post(path, token, JSON, body);
        }

        HttpResponse<String> delete(String path) {
            return new Http(base).send(java.net.http.HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
                    .DELETE().build());
        }

        /** A peer message, as another installation sends it: no token, the envelope is the credential. */
        HttpResponse<String> postRaw(URI endpoint, String body) {
            return new Http(base).send(java.net.http.HttpRequest.newBuilder(endpoint).header("Content-Type", JSON)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build());
        }

        String onlineRegister(String name) {
            return Ledgers.onlineRegister(new Http(base), token, name);
        }
    }
}
