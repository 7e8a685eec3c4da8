package dev.cairn.systemtests;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.cairn.faults.StreamFollower;
import dev.cairn.ledger.LedgerHashes;
import dev.cairn.localcluster.process.ManagedProcess;
import dev.cairn.testsupport.LedgerFixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A register through the front door (nginx, two gateways, two register replicas): dockets
 * written as a validator writes them, one register replica killed half-way, and a WebSocket
 * client that follows the events through it all.
 */
class RegisterE2EIT extends AgainstSharedCluster {

    private static final String JSON = "application/json";

    private String validator;

    @BeforeEach
    void validatorToken() {
        this.validator = Installation.serviceToken(cluster, "validator-service");
    }

    @Test
    void aChainWrittenWhileARegisterReplicaDiesIsCompleteVerifiedAndFollowedLive() throws Exception {
        LedgerFixture fixture = new LedgerFixture();
        // this test writes dockets as a validator would, so it seals the genesis docket itself, pinning its own key
        // (a validator that sealed it first, within its two-second poll, makes the test take another register)
        String found = null;
        ObjectNode genesis = null;
        for (int attempt = 0; attempt < 5 && found == null; attempt++) {
            HttpResponse<String> created = front.post("/api/registers", admin, JSON, "{\"name\":\"End to end\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String id = Json.field(created.body(), "id");
            genesis = fixture.docket(id, 0, LedgerHashes.GENESIS_PREVIOUS_HASH, List.of(fixture.genesis(id, "system tests")));
            if (front.post("/api/registers/" + id + "/dockets", validator, JSON, genesis.toString()).statusCode() == 201) {
                found = id;
            }
        }
        assertThat(found).as("a register whose genesis this test sealed").isNotNull();
        String registerId = found;
        await().atMost(Duration.ofSeconds(30)).until(() -> "ONLINE".equals(Json.field(front.get("/api/registers/" + registerId, admin).body(), "status")));

        // as a browser does: through nginx and the gateway
        StreamFollower follower = new StreamFollower(cluster.frontUrl().replaceFirst("^http", "ws") + "/ws/registers", admin,
                "\"registerId\":\"" + registerId + "\"").connect();

        ManagedProcess victim = cluster.replicas("register-service").get(1);
        String previous = LedgerFixture.hash(genesis);
        int retried = 0;
        long killedAt = 0;
        long finishedAt;
        try {
            for (int height = 1; height <= 30; height++) {
                if (height == 10) {
                    killedAt = System.nanoTime();
                    cluster.kill(victim);
                }
                List<ObjectNode> transactions = List.of(fixture.action(registerId, height), fixture.action(registerId, -height),
                        fixture.action(registerId, 1000 + height));
                ObjectNode docket = fixture.docket(registerId, height, previous, transactions);
                retried += writeUntilStored(registerId, docket);
                previous = LedgerFixture.hash(docket);
            }
            finishedAt = System.nanoTime();
        } finally {
            cluster.restart(victim);
        }
        Figures.record("register replica SIGKILL while writing dockets",
                "30 dockets through the front, 21 of them in the " + String.format("%.1f s", (finishedAt - killedAt) / 1e9)
                        + " after the kill; " + retried + " writes had to be repeated (same docket, idempotent)");

        JsonNode verified = Json.read(front.get("/api/registers/" + registerId + "/verify", admin).body());
        assertThat(verified.path("ok").asBoolean()).as(verified.toString()).isTrue();
        assertThat(verified.path("dockets").asLong()).isEqualTo(31);
        assertThat(verified.path("transactions").asLong()).isEqualTo(91);

        long headSeq = Json.read(front.get("/api/registers/" + registerId + "/events?afterSeq=0&limit=1", admin).body()).path("headSeq").asLong();
        assertThat(headSeq).isEqualTo(31 * 2 + 91);
        await().atMost(Duration.ofSeconds(30)).until(() -> follower.events.size() >= headSeq);
        List<Long> expected = new ArrayList<>();
        for (long seq = 1; seq <= headSeq; seq++) {
            expected.add(seq);
        }
        assertThat(follower.seqs()).as("every event once, in order, across reconnections").isEqualTo(expected);
        follower.close();
    }

    /** Writes the docket, repeating it until it is stored; returns how many attempts failed. */
    private int writeUntilStored(String registerId, ObjectNode docket) throws InterruptedException {
        int failed = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                HttpResponse<String> response = front.post("/api/registers/" + registerId + "/dockets", validator, JSON, docket.toString());
                if (response.statusCode() == 201) {
                    return failed;
                }
                assertThat(response.statusCode()).as(response.body()).isGreaterThanOrEqualTo(500);
            } catch (RuntimeException e) {
                // the connection broke: the write may or may not have happened, which the retry settles
            }
            failed++;
            assertThat(System.nanoTime()).as("docket stored within 30 s").isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}
