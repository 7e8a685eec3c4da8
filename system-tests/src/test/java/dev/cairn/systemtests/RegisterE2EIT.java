package dev.cairn.systemtests;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.cairn.localcluster.LocalCluster;
import dev.cairn.localcluster.process.ManagedProcess;
import dev.cairn.testsupport.LedgerFixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A register through the front door (nginx, two gateways, two register replicas): dockets
 * written as a validator writes them, one register replica killed half-way, and a WebSocket
 * client that follows the events through it all.
 */
@ExtendWith(SharedCluster.class)
class RegisterE2EIT {

    private static final String JSON = "application/json";

    private LocalCluster cluster;
    private Http front;
    private String admin;
    private String validator;

    @BeforeEach
    void connect(LocalCluster cluster) {
        this.cluster = cluster;
        this.front = new Http(cluster.frontUrl());
        this.admin = Installation.adminToken(cluster);
        this.validator = Installation.serviceToken(cluster, "validator-service");
    }

    @Test
    void aChainWrittenWhileARegisterReplicaDiesIsCompleteVerifiedAndFollowedLive() throws Exception {
        HttpResponse<String> created = front.post("/api/registers", admin, JSON, "{\"name\":\"End to end\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String registerId = Json.field(created.body(), "id");
        LedgerFixture fixture = new LedgerFixture();

        EventFollower follower = new EventFollower(registerId);
        follower.connect();

        // a validator seals the genesis docket; this test then writes dockets as a validator would
        await().atMost(Duration.ofSeconds(30)).until(() -> "ONLINE".equals(Json.field(front.get("/api/registers/" + registerId, admin).body(), "status")));
        JsonNode genesis = Json.read(front.get("/api/registers/" + registerId + "/dockets/0", admin).body());
        assertThat(genesis.path("docket").path("transactionIds").size()).isEqualTo(1);

        ManagedProcess victim = cluster.replicas("register-service").get(1);
        String previous = genesis.path("hash").asString();
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
        await().atMost(Duration.ofSeconds(30)).until(() -> follower.seqs.size() >= headSeq);
        List<Long> expected = new ArrayList<>();
        for (long seq = 1; seq <= headSeq; seq++) {
            expected.add(seq);
        }
        assertThat(follower.seqs).as("every event once, in order, across reconnections").isEqualTo(expected);
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

    /** Follows a register's events over the WebSocket, and resubscribes after the last one it saw when the connection drops. */
    private final class EventFollower implements WebSocket.Listener {
        final List<Long> seqs = new CopyOnWriteArrayList<>();
        private final String registerId;
        private final AtomicLong last = new AtomicLong();
        private final StringBuilder partial = new StringBuilder();
        private volatile WebSocket socket;
        private volatile boolean closing;

        EventFollower(String registerId) {
            this.registerId = registerId;
        }

        void connect() {
            String ws = cluster.frontUrl().replaceFirst("^http", "ws") + "/ws/registers";
            for (int attempt = 0; attempt < 50 && !closing; attempt++) {
                try {
                    // as a browser does: the token offered as a subprotocol, through nginx and the gateway
                    socket = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("cairn.bearer", admin)
                            .buildAsync(URI.create(ws), this).get(10, TimeUnit.SECONDS);
                    socket.sendText("{\"type\":\"subscribe\",\"registerId\":\"" + registerId + "\",\"afterSeq\":" + last.get() + "}", true).get();
                    return;
                } catch (Exception e) {
                    sleep();
                }
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean lastPart) {
            partial.append(data);
            if (lastPart) {
                JsonNode frame = Json.read(partial.toString());
                partial.setLength(0);
                if ("event".equals(frame.path("type").asString())) {
                    long seq = frame.path("event").path("seq").asLong();
                    seqs.add(seq);
                    last.set(seq);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            reconnect();
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            reconnect();
        }

        private void reconnect() {
            if (!closing) {
                Thread thread = new Thread(this::connect, "event-follower-reconnect");
                thread.setDaemon(true);
                thread.start();
            }
        }

        void close() {
            closing = true;
            socket.abort();
        }

        private void sleep() {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
