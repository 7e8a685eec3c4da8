package dev.cairn.register.ledger;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.cairn.ledger.LedgerHashes;
import dev.cairn.register.RegisterServiceApplication;
import dev.cairn.testsupport.JwksServer;
import dev.cairn.testsupport.LedgerFixture;
import dev.cairn.testsupport.ReplicaHttp;
import dev.cairn.testsupport.EmbeddedMongo;
import dev.cairn.localcluster.process.Ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Register events across replicas: a WebSocket client on replica A receives, in order and
 * without gaps, the events of dockets written through replica B, also across a Redis
 * restart; the backfill endpoint answers the same events.
 */
class RegisterEventsIT {

    private static final JwksServer JWKS = new JwksServer();
    private static final String ORG = UUID.randomUUID().toString();
    private static EmbeddedMongo mongo;
    private static RedisServer redis;
    private static int redisPort;
    private static ConfigurableApplicationContext first;
    private static ConfigurableApplicationContext second;

    private final HttpClient http = HttpClient.newHttpClient();
    private final LedgerFixture fixture = new LedgerFixture();
    private final String admin = JWKS.userToken("admin-" + UUID.randomUUID(), ORG, "Administrator");
    private final String validator = JWKS.serviceToken("validator-service", null, "register:read register:write-docket");

    @BeforeAll
    static void start() throws Exception {
        redisPort = Ports.free();
        redis = startRedis();
        mongo = new EmbeddedMongo();
        String uri = mongo.uri();
        first = replica(uri);
        second = replica(uri);
    }

    private static RedisServer startRedis() throws Exception {
        RedisServer server = RedisServer.newRedisServer().port(redisPort).bind("127.0.0.1").setting("save \"\"").build();
        server.start();
        return server;
    }

    private static ConfigurableApplicationContext replica(String mongoUri) {
        return new SpringApplicationBuilder(RegisterServiceApplication.class).run("--server.port=0", "--spring.mongodb.uri=" + mongoUri + "/cairn",
                "--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + redisPort, "--cairn.auth.jwks-uris=" + JWKS.uri(),
                // this test stops Redis on purpose; token checks carry on without the revocation list meanwhile
                "--cairn.auth.revocation.on-store-failure=allow", "--cairn.register.database-prefix=events");
    }

    @AfterAll
    static void stop() throws Exception {
        first.close();
        second.close();
        mongo.close();
        redis.stop();
        JWKS.close();
    }

    @Test
    void aClientOnOneReplicaGetsEveryEventOfDocketsWrittenThroughTheOtherAcrossARedisRestart() throws Exception {
        String registerId = createRegister();
        String previous = seal(registerId, 0, LedgerHashes.GENESIS_PREVIOUS_HASH, List.of(fixture.genesis(registerId, ORG)));

        Frames frames = new Frames();
        WebSocket socket = http.newWebSocketBuilder().header("Authorization", "Bearer " + admin)
                .buildAsync(URI.create("ws://127.0.0.1:" + port(first) + "/ws/registers"), frames).get(10, TimeUnit.SECONDS);
        socket.sendText("{\"type\":\"subscribe\",\"registerId\":\"" + registerId + "\",\"afterSeq\":0}", true).get();
        await().atMost(Duration.ofSeconds(10)).until(() -> frames.seqs().size() == 3);
        assertThat(frames.types()).containsExactly("DocketSealed", "TransactionConfirmed", "RegisterHeightUpdated");
        assertThat(frames.all.stream().filter(f -> "event".equals(f.path("type").asString())).map(f -> f.path("registerId").asString()))
                .as("each event frame names its stream, as the subscription did").containsOnly(registerId);

        ObjectNode toSeveral = fixture.action(registerId, 1);
        toSeveral.putArray("recipients").add("cairn1zz-second-in-sort-order").add("cairn1aa-first-in-sort-order").add("cairn1zz-second-in-sort-order");
        previous = seal(registerId, 1, previous, List.of(fixture.resign(toSeveral), fixture.action(registerId, 2)));
        await().atMost(Duration.ofSeconds(10)).until(() -> frames.seqs().size() == 7);

        redis.stop();
        previous = seal(registerId, 2, previous, List.of(fixture.action(registerId, 3)));
        redis = startRedis();

        // the next docket published after Redis is back brings the missed ones along
        long height = 3;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        long headSeq;
        do {
            previous = seal(registerId, height, previous, List.of(fixture.action(registerId, 100 + (int) height)));
            height++;
            Thread.sleep(1000);
            headSeq = json(call("GET", "/api/registers/" + registerId + "/events?afterSeq=0&limit=1", admin)).path("headSeq").asLong();
        } while (frames.seqs().size() < headSeq && System.nanoTime() < deadline);
        long head = headSeq;
        await().atMost(Duration.ofSeconds(5)).until(() -> frames.seqs().size() == head);
        List<Long> expected = new ArrayList<>();
        for (long seq = 1; seq <= head; seq++) {
            expected.add(seq);
        }
        assertThat(frames.seqs()).as("every event once, in order").isEqualTo(expected);
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");

        JsonNode backfill = json(call("GET", "/api/registers/" + registerId + "/events?afterSeq=3&limit=4", admin));
        assertThat(backfill.path("events").size()).isEqualTo(4);
        assertThat(backfill.path("events").get(0).path("seq").asLong()).isEqualTo(4);
        assertThat(backfill.path("events").get(0).path("type").asString()).isEqualTo("DocketSealed");
        assertThat(backfill.path("events").get(1).path("sender").asString()).isEqualTo(fixture.sender);
        assertThat(backfill.path("events").get(1).path("recipients")).as("each recipient once, in the signed order").extracting(JsonNode::asString)
                .containsExactly("cairn1zz-second-in-sort-order", "cairn1aa-first-in-sort-order");
    }

    @Test
    void theHandshakeNeedsATokenAndAnAllowedOrigin() {
        URI endpoint = URI.create("ws://127.0.0.1:" + port(first) + "/ws/registers");
        assertThatThrownBy(() -> http.newWebSocketBuilder().buildAsync(endpoint, new Frames()).join())
                .isInstanceOf(CompletionException.class).cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(401));
        assertThatThrownBy(() -> http.newWebSocketBuilder().header("Authorization", "Bearer " + admin).header("Origin", "https://evil.example")
                .buildAsync(endpoint, new Frames()).join())
                .isInstanceOf(CompletionException.class).cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(403));
    }

    @Test
    void aBrowserOffersItsTokenAsASubprotocolAndTheServerSelectsOnlyTheProtocolName() throws Exception {
        String registerId = createRegister();
        Frames frames = new Frames();
        WebSocket socket = http.newWebSocketBuilder().subprotocols("cairn.bearer", admin)
                .buildAsync(URI.create("ws://127.0.0.1:" + port(second) + "/ws/registers"), frames).get(10, TimeUnit.SECONDS);
        assertThat(socket.getSubprotocol()).isEqualTo("cairn.bearer");
        socket.sendText("{\"type\":\"subscribe\",\"registerId\":\"" + registerId + "\"}", true).get();
        await().atMost(Duration.ofSeconds(5)).until(() -> !frames.all.isEmpty());
        assertThat(frames.all.get(0).path("type").asString()).isEqualTo("subscribed");
        // the replica itself answers an application ping, so a client can tell a live path from a half-open one
        socket.sendText("{\"type\":\"ping\"}", true).get();
        await().atMost(Duration.ofSeconds(5)).until(() -> frames.all.size() == 2);
        assertThat(frames.all.get(1).path("type").asString()).isEqualTo("pong");
        socket.abort();

        assertThatThrownBy(() -> http.newWebSocketBuilder().subprotocols("cairn.bearer", "not-a-token")
                .buildAsync(URI.create("ws://127.0.0.1:" + port(second) + "/ws/registers"), new Frames()).join())
                .cause().isInstanceOf(WebSocketHandshakeException.class);
    }

    @Test
    void aSubscriptionToAnotherOrganisationsRegisterIsRefused() throws Exception {
        String registerId = createRegister();
        Frames frames = new Frames();
        String stranger = JWKS.userToken("stranger", UUID.randomUUID().toString(), "Administrator");
        WebSocket socket = http.newWebSocketBuilder().header("Authorization", "Bearer " + stranger)
                .buildAsync(URI.create("ws://127.0.0.1:" + port(second) + "/ws/registers"), frames).get(10, TimeUnit.SECONDS);
        socket.sendText("{\"type\":\"subscribe\",\"registerId\":\"" + registerId + "\"}", true).get();
        await().atMost(Duration.ofSeconds(5)).until(() -> !frames.all.isEmpty());
        assertThat(frames.all.get(0).path("type").asString()).isEqualTo("error");
        socket.abort();
    }

    private String createRegister() {
        HttpResponse<String> created = call("POST", "/api/registers", admin, "{\"name\":\"Events\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created).path("id").asString();
    }

    private String seal(String registerId, long height, String previousHash, List<ObjectNode> transactions) {
        ObjectNode body = fixture.docket(registerId, height, previousHash, transactions);
        HttpResponse<String> written = call("POST", "/api/registers/" + registerId + "/dockets", validator, body.toString(), second);
        assertThat(written.statusCode()).as(written.body()).isEqualTo(201);
        return LedgerFixture.hash(body);
    }

    /** Event frames as they arrive. */
    private static final class Frames implements WebSocket.Listener {
        final List<JsonNode> all = new CopyOnWriteArrayList<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                all.add(LedgerFixture.JSON.readTree(partial.toString()));
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        List<Long> seqs() {
            return all.stream().filter(f -> "event".equals(f.path("type").asString())).map(f -> f.path("event").path("seq").asLong()).toList();
        }

        List<String> types() {
            return all.stream().filter(f -> "event".equals(f.path("type").asString())).map(f -> f.path("event").path("type").asString()).toList();
        }
    }

    private static int port(ConfigurableApplicationContext replica) {
        return ReplicaHttp.port(replica);
    }

    private static JsonNode json(HttpResponse<String> response) {
        return LedgerFixture.JSON.readTree(response.body());
    }

    private HttpResponse<String> call(String method, String path, String token) {
        return call(method, path, token, null, first);
    }

    private HttpResponse<String> call(String method, String path, String token, String body) {
        return call(method, path, token, body, first);
    }

    private HttpResponse<String> call(String method, String path, String token, String body, ConfigurableApplicationContext replica) {
        return ReplicaHttp.call(replica, method, path, token, body);
    }
}
