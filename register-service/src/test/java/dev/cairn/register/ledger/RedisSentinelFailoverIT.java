package dev.cairn.register.ledger;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisSentinel;
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
import static org.awaitility.Awaitility.await;

/**
 * Redis behind Sentinel, as the compose project runs it: a register replica configured only
 * with the Sentinel address finds the master, and after the master dies and Sentinel promotes
 * the replica, events flow again through the new master without a restart. Real Redis and
 * Sentinel processes.
 */
class RedisSentinelFailoverIT {

    private static final JwksServer JWKS = new JwksServer();
    private static final String ORG = UUID.randomUUID().toString();
    private static EmbeddedMongo mongo;
    private static RedisServer master;
    private static RedisServer replica;
    private static RedisSentinel sentinel;
    private static int sentinelPort;
    private static ConfigurableApplicationContext service;

    private final HttpClient http = HttpClient.newHttpClient();
    private final LedgerFixture fixture = new LedgerFixture();
    private final String admin = JWKS.userToken("admin-" + UUID.randomUUID(), ORG, "Administrator");
    private final String validator = JWKS.serviceToken("validator-service", null, "register:read register:write-docket");

    @BeforeAll
    static void start() throws IOException {
        int masterPort = Ports.free();
        int replicaPort = Ports.free();
        sentinelPort = Ports.free();
        master = RedisServer.newRedisServer().port(masterPort).bind("127.0.0.1").setting("save \"\"").build();
        master.start();
        replica = RedisServer.newRedisServer().port(replicaPort).bind("127.0.0.1").setting("save \"\"")
                .setting("replicaof 127.0.0.1 " + masterPort).build();
        replica.start();
        sentinel = RedisSentinel.newRedisSentinel().bind("127.0.0.1").port(sentinelPort).masterName("cairn").masterPort(masterPort)
                .quorumSize(1).downAfterMilliseconds(1000).failOverTimeout(3000).build();
        sentinel.start();
        mongo = new EmbeddedMongo();
        service = new SpringApplicationBuilder(RegisterServiceApplication.class).run("--server.port=0",
                "--spring.mongodb.uri=" + mongo.uri() + "/cairn",
                "--spring.data.redis.sentinel.master=cairn", "--spring.data.redis.sentinel.nodes=127.0.0.1:" + sentinelPort,
                "--cairn.auth.jwks-uris=" + JWKS.uri(), "--cairn.auth.revocation.on-store-failure=allow",
                "--cairn.register.database-prefix=sentinel");
    }

    @AfterAll
    static void stop() throws IOException {
        service.close();
        sentinel.stop();
        replica.stop();
        if (master.isActive()) {
            master.stop();
        }
        mongo.close();
        JWKS.close();
    }

    @Test
    void eventsFlowThroughTheMasterSentinelPromotesAfterTheOldOneDies() throws Exception {
        HttpResponse<String> created = call("POST", "/api/registers", admin, "{\"name\":\"Sentinel\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String registerId = LedgerFixture.JSON.readTree(created.body()).path("id").asString();
        List<Long> seqs = new CopyOnWriteArrayList<>();
        WebSocket socket = http.newWebSocketBuilder().header("Authorization", "Bearer " + admin)
                .buildAsync(URI.create("ws://127.0.0.1:" + port() + "/ws/registers"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        JsonNode frame = LedgerFixture.JSON.readTree(data.toString());
                        if ("event".equals(frame.path("type").asString())) {
                            seqs.add(frame.path("event").path("seq").asLong());
                        }
                        webSocket.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        socket.sendText("{\"type\":\"subscribe\",\"registerId\":\"" + registerId + "\",\"afterSeq\":0}", true).get();

        String previous = seal(registerId, 0, LedgerHashes.GENESIS_PREVIOUS_HASH, List.of(fixture.genesis(registerId, ORG)));
        await().atMost(Duration.ofSeconds(10)).until(() -> seqs.size() == 3);
        assertThat(isMaster(master)).isTrue();

        master.stop();
        await().atMost(Duration.ofSeconds(30)).until(() -> masterPortFromSentinel() == replica.ports().get(0));

        // events of the next dockets reach the subscriber through the promoted master
        long height = 1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (seqs.size() < 3 + 3 * (height - 1) && System.nanoTime() < deadline || height == 1) {
            previous = seal(registerId, height++, previous, List.of(fixture.action(registerId, (int) height)));
            Thread.sleep(1000);
        }
        long expected = 3 + 3 * (height - 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> seqs.size() == expected);
        assertThat(seqs).doesNotHaveDuplicates().isSorted();
        socket.abort();
    }

    private static boolean isMaster(RedisServer server) {
        try (RedisClient client = RedisClient.create("redis://127.0.0.1:" + server.ports().get(0));
             StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection.sync().info("replication").contains("role:master");
        }
    }

    private static int masterPortFromSentinel() {
        try (RedisClient client = RedisClient.create("redis://127.0.0.1:" + sentinelPort);
             var connection = client.connectSentinel()) {
            return ((java.net.InetSocketAddress) connection.sync().getMasterAddrByName("cairn")).getPort();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private String seal(String registerId, long height, String previousHash, List<ObjectNode> transactions) {
        ObjectNode body = fixture.docket(registerId, height, previousHash, transactions);
        HttpResponse<String> written = call("POST", "/api/registers/" + registerId + "/dockets", validator, body.toString());
        assertThat(written.statusCode()).as(written.body()).isEqualTo(201);
        return LedgerFixture.hash(body);
    }

    private static int port() {
        return ReplicaHttp.port(service);
    }

    private HttpResponse<String> call(String method, String path, String token, String body) {
        return ReplicaHttp.call(service, method, path, token, body);
    }
}
