package dev.cairn.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.cairn.gateway.upstream.Replica;
import dev.cairn.gateway.upstream.UpstreamRegistry;
import dev.cairn.localcluster.process.Ports;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway in front of real HTTP replicas: round robin, passive and active health, retries
 * to another replica, fast 503 without replicas, and problem+json for its own errors.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayRoutingIT {

    private static final TestReplica walletA = TestReplica.start("wallet-service@a");
    private static final TestReplica walletB = TestReplica.start("wallet-service@b");
    private static final TestReplica register = TestReplica.start("register-service@a");
    /** Only the kill test uses these two. */
    private static final TestReplica blueprintA = TestReplica.start("blueprint-service@a");
    private static final TestReplica blueprintB = TestReplica.start("blueprint-service@b");
    /** A port nothing listens on: peer-service has no live replica. */
    private static final int deadPort = Ports.free();

    @DynamicPropertySource
    static void replicas(DynamicPropertyRegistry registry) {
        registry.add("cairn.gateway.services.wallet-service.uris", () -> walletA.uri() + "," + walletB.uri());
        registry.add("cairn.gateway.services.register-service.uris", register::uri);
        registry.add("cairn.gateway.services.peer-service.uris", () -> "http://127.0.0.1:" + deadPort);
        registry.add("cairn.gateway.services.blueprint-service.uris", () -> blueprintA.uri() + "," + blueprintB.uri());
        for (String service : List.of("tenant-service", "validator-service")) {
            registry.add("cairn.gateway.services." + service + ".uris", register::uri);
        }
        registry.add("cairn.gateway.health.interval", () -> "200ms");
        // routing is what is tested here; edge security has its own test (EdgeSecurityIT)
        registry.add("cairn.gateway.security.public-paths", () -> "/**");
        registry.add("cairn.gateway.rate-limit.enabled", () -> "false");
        registry.add("cairn.max-request-size", () -> "64KB");
        // short, so that a slow answer is tested in seconds; the whole-chain route keeps its own
        registry.add("spring.cloud.gateway.server.webflux.httpclient.response-timeout", () -> "1s");
    }

    @LocalServerPort
    int port;

    @Autowired
    UpstreamRegistry upstreams;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void restoreReplicas() {
        walletA.ready(true);
        walletB.ready(true);
        walletA.answerWith(200);
        walletB.answerWith(200);
        register.answerAfter(Duration.ZERO);
    }

    @AfterAll
    static void stopReplicas() {
        walletA.close();
        walletB.close();
        register.close();
        blueprintA.close();
        blueprintB.close();
    }

    @Test
    void spreadsRequestsOverEveryReplicaAndNamesWhoAnswered() throws Exception {
        awaitRoutable("wallet-service", 2);
        Map<String, Integer> byInstance = new ConcurrentHashMap<>();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response = get("/api/wallets/abc?x=1");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"path\":\"/api/wallets/abc?x=1\"");
            assertThat(response.headers().firstValue("X-Cairn-Gateway")).hasValueSatisfying(id -> assertThat(id).startsWith("gateway@"));
            byInstance.merge(response.headers().firstValue("X-Cairn-Instance").orElseThrow(), 1, Integer::sum);
        }
        assertThat(byInstance).containsOnlyKeys("wallet-service@a", "wallet-service@b");
        assertThat(byInstance.values()).allSatisfy(count -> assertThat(count).isEqualTo(10));
    }

    @Test
    void aWholeRegisterCheckOrExportMayTakeLongerThanAnOrdinaryAnswer() throws Exception {
        awaitRoutable("register-service", 1);
        register.answerAfter(Duration.ofMillis(2500));
        HttpResponse<String> ordinary = get("/api/registers/r1/transactions");
        assertThat(ordinary.statusCode()).as(ordinary.body()).isEqualTo(504);
        assertThat(ordinary.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("problem+json"));
        for (String whole : List.of("/api/registers/r1/verify", "/api/registers/r1/export")) {
            HttpResponse<String> response = get(whole);
            assertThat(response.statusCode()).as(whole + ": " + response.body()).isEqualTo(200);
            assertThat(response.body()).contains("\"path\":\"" + whole + "\"");
        }
    }

    @Test
    void unreadyReplicaIsTakenOutAndComesBack() throws Exception {
        awaitRoutable("wallet-service", 2);
        walletB.ready(false);
        awaitRoutable("wallet-service", 1);
        for (int i = 0; i < 10; i++) {
            assertThat(get("/api/wallets").headers().firstValue("X-Cairn-Instance")).hasValue("wallet-service@a");
        }
        walletB.ready(true);
        awaitRoutable("wallet-service", 2);
    }

    @Test
    void idempotentRequestIsRetriedOnAnotherReplicaWhenOneCannotServe() throws Exception {
        awaitRoutable("wallet-service", 2);
        walletA.answerWith(503);
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> response = get("/api/wallets");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("X-Cairn-Instance")).hasValue("wallet-service@b");
        }
        // A POST is not retried: the client sees what the replica said.
        List<Integer> postStatuses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            postStatuses.add(send("POST", "/api/wallets", "{}").statusCode());
        }
        assertThat(postStatuses).contains(503, 200);
    }

    @Test
    void serviceWithoutLiveReplicaGets503ProblemQuickly() throws Exception {
        await().atMost(Duration.ofSeconds(5)).until(() -> upstreams.replicas("peer-service").get(0).state() == Replica.State.DOWN);
        long started = System.nanoTime();
        HttpResponse<String> response = get("/api/docs/peer-service");
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("\"status\":503").contains("No ready replica of peer-service");
        assertThat(millis).isLessThan(1000);
    }

    @Test
    void unknownRouteIsA404Problem() throws Exception {
        HttpResponse<String> response = get("/api/nothing-here");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("\"status\":404").contains("No route for GET /api/nothing-here");
    }

    @Test
    void oversizedBodiesAreRefusedAtTheEdge() throws Exception {
        awaitRoutable("wallet-service", 2);
        int before = walletA.requests() + walletB.requests();
        String big = "x".repeat(70 * 1024);
        HttpResponse<String> declared = send("POST", "/api/wallets", big);
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(declared.headers().firstValue("Content-Type")).hasValue("application/problem+json");

        // Same body without Content-Length (chunked): counted while streaming.
        HttpRequest chunked = HttpRequest.newBuilder(URI.create(base() + "/api/wallets"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.getBytes())))
                .header("Content-Type", "application/json").build();
        assertThat(http.send(chunked, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(413);

        HttpResponse<String> small = send("POST", "/api/wallets", "x".repeat(1000));
        assertThat(small.statusCode()).isEqualTo(200);
        assertThat(small.body()).contains("\"bytes\":1000");
        assertThat(walletA.requests() + walletB.requests()).isEqualTo(before + 1);
    }

    @Test
    void aKilledReplicaCostsNoFailedGetRequests() throws Exception {
        awaitRoutable("blueprint-service", 2);
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger servedAfterKill = new AtomicInteger();
        java.util.concurrent.atomic.AtomicLong killedAt = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
        Thread load = new Thread(() -> {
            long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < end) {
                long sent = System.nanoTime();
                try {
                    if (get("/api/blueprints").statusCode() == 200) {
                        if (sent > killedAt.get()) {
                            servedAfterKill.incrementAndGet();
                        }
                    } else {
                        failures.incrementAndGet();
                    }
                } catch (Exception e) {
                    failures.incrementAndGet();
                }
            }
        });
        load.start();
        Thread.sleep(1000);
        killedAt.set(System.nanoTime());
        blueprintB.close();
        load.join();
        assertThat(failures.get()).isZero();
        assertThat(servedAfterKill.get()).as("requests sent after the kill and answered").isGreaterThan(20);
        await().atMost(Duration.ofSeconds(3)).until(() -> routable("blueprint-service") == 1);
        assertThat(get("/api/blueprints").headers().firstValue("X-Cairn-Instance")).hasValue("blueprint-service@a");
    }

    @Test
    void aggregatedHealthListsEveryReplicaAndIs503WhileAServiceHasNone() throws Exception {
        awaitRoutable("wallet-service", 2);
        HttpResponse<String> response = get("/api/health");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body())
                .contains("\"status\":\"DOWN\"")
                .contains("\"wallet-service\":{\"status\":\"UP\",\"ready\":2,\"total\":2")
                .contains("\"instance\":\"wallet-service@a\"")
                .contains("\"peer-service\":{\"status\":\"DOWN\",\"ready\":0,\"total\":1");
    }

    private void awaitRoutable(String service, int count) {
        await().atMost(Duration.ofSeconds(5)).until(() -> upstreams.replicas(service).stream()
                .filter(r -> r.state() == Replica.State.UP).count() == count);
    }

    private long routable(String service) {
        return upstreams.replicas(service).stream().filter(Replica::routable).count();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }
}
