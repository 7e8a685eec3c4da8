package dev.cairn.gateway;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

import dev.cairn.platform.auth.RevocationList;
import dev.cairn.testsupport.TestTokens;
import dev.cairn.localcluster.process.Ports;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The edge checks of two gateways sharing one real Redis: tokens verified against a JWKS over
 * HTTP, revocation seen at once, rate limits counted once for the whole cluster, and what
 * happens while Redis is down.
 */
class EdgeSecurityIT {

    private static final String ISSUER = "cairn";
    private static final TestTokens keys = new TestTokens("edge-key");
    private static final TestReplica wallet = TestReplica.start("wallet-service@edge");
    private static final TestReplica tenant = TestReplica.start("tenant-service@edge");
    private static HttpServer jwks;
    private static RedisServer redis;
    private static int redisPort;
    private static ConfigurableApplicationContext first;
    private static ConfigurableApplicationContext second;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void start() throws IOException {
        jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwks.createContext("/.well-known/jwks.json", exchange -> {
            byte[] body = keys.jwks().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        jwks.start();
        redisPort = Ports.free();
        redis = RedisServer.newRedisServer().port(redisPort).setting("bind 127.0.0.1").setting("save \"\"").build();
        redis.start();
        first = gateway();
        second = gateway();
        markRevocationListComplete();
    }

    /**
     * What the tenant service does once Redis holds every revocation in force (there is none in this
     * test); tried again while the gateway's client, with its 500 ms timeout, misses a Redis just started on a busy machine.
     */
    private static void markRevocationListComplete() {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> {
            first.getBean(StringRedisTemplate.class).opsForValue().set(RevocationList.RESTORED, Instant.now().toString());
            return true;
        });
    }

    private static ConfigurableApplicationContext gateway() {
        String others = wallet.uri();
        return new SpringApplicationBuilder(GatewayApplication.class).run(
                "--server.port=0",
                "--spring.data.redis.url=redis://127.0.0.1:" + redisPort,
                "--cairn.auth.jwks-uris=http://127.0.0.1:" + jwks.getAddress().getPort() + "/.well-known/jwks.json",
                "--cairn.gateway.services.wallet-service.uris=" + wallet.uri(),
                "--cairn.gateway.services.tenant-service.uris=" + tenant.uri(),
                "--cairn.gateway.services.register-service.uris=" + others,
                "--cairn.gateway.services.validator-service.uris=" + others,
                "--cairn.gateway.services.blueprint-service.uris=" + others,
                "--cairn.gateway.services.peer-service.uris=" + others,
                "--cairn.gateway.rate-limit.policies.probe.paths=/api/wallets/probe",
                "--cairn.gateway.rate-limit.policies.probe.key=ip",
                "--cairn.gateway.rate-limit.policies.probe.limit=5",
                "--cairn.gateway.rate-limit.policies.probe.period=1m");
    }

    @AfterAll
    static void stop() throws IOException {
        first.close();
        second.close();
        redis.stop();
        jwks.stop(0);
        wallet.close();
        tenant.close();
    }

    @Test
    void protectedRoutesNeedAValidTokenAndNeverReachTheServiceWithout() {
        int before = wallet.requests();
        HttpResponse<String> anonymous = get(first, "/api/wallets", null, null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));

        HttpResponse<String> valid = get(first, "/api/wallets", token(claims()), null);
        assertThat(valid.statusCode()).isEqualTo(200);
        assertThat(valid.headers().firstValue("X-Cairn-Instance")).hasValue("wallet-service@edge");
        assertThat(wallet.requests()).isEqualTo(before + 1);

        assertThat(get(first, "/api/auth/login", null, null).statusCode()).as("public paths need no token").isEqualTo(200);
    }

    @Test
    void theJwtNegativeSuiteIsRefusedAtTheEdge() throws Exception {
        Instant now = Instant.now();
        TestTokens otherInstallation = new TestTokens("edge-key");
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("alg none", keys.unsigned(claims()) + "AAAA");
        cases.put("HS256 with the public key", keys.forgeHs256WithPublicKey(claims()));
        cases.put("wrong iss", token(with(claims(), "iss", "https://evil.test")));
        cases.put("wrong aud", token(with(claims(), "aud", "someone-else")));
        cases.put("expired", token(with(with(claims(), "iat", now.minusSeconds(7200).getEpochSecond()), "exp", now.minusSeconds(100).getEpochSecond())));
        cases.put("nbf in the future", token(with(claims(), "nbf", now.plusSeconds(3600).getEpochSecond())));
        Map<String, Object> unknownKid = keys.header();
        unknownKid.put("kid", "unknown");
        cases.put("unknown kid", keys.sign(unknownKid, claims()));
        cases.put("altered payload", TestTokens.alterClaim(token(claims()), "roles", List.of("SystemAdmin")));
        cases.put("another installation's key", otherInstallation.sign(otherInstallation.header(), claims()));
        int before = wallet.requests();
        for (Map.Entry<String, String> entry : cases.entrySet()) {
            HttpResponse<String> response = get(second, "/api/wallets", entry.getValue(), null);
            assertThat(response.statusCode()).as(entry.getKey()).isEqualTo(401);
            assertThat(response.body()).as(entry.getKey()).contains("\"status\":401");
        }
        assertThat(wallet.requests()).isEqualTo(before);
    }

    @Test
    void aRevokedTokenIsRefusedByEveryGatewayAtOnce() {
        Map<String, Object> claims = claims();
        String token = token(claims);
        assertThat(get(first, "/api/wallets", token, null).statusCode()).isEqualTo(200);
        assertThat(get(second, "/api/wallets", token, null).statusCode()).isEqualTo(200);
        first.getBean(StringRedisTemplate.class).opsForValue().set("cairn:revoked:jti:" + claims.get("jti"), "1", Duration.ofMinutes(20));
        assertThat(get(first, "/api/wallets", token, null).statusCode()).isEqualTo(401);
        assertThat(get(second, "/api/wallets", token, null).statusCode()).isEqualTo(401);
    }

    @Test
    void requestsSpreadOverTwoGatewaysNeverExceedTheLimitInTotal() {
        String token = token(claims());
        String client = "203.0.113." + (int) (Math.random() * 200 + 1);
        int allowed = 0;
        int limited = 0;
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response = get(i % 2 == 0 ? first : second, "/api/wallets/probe", token, client);
            if (response.statusCode() == 429) {
                limited++;
                assertThat(response.headers().firstValue("Retry-After")).isPresent();
                assertThat(response.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
                assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            } else {
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.headers().firstValue("X-RateLimit-Limit")).isPresent();
                allowed++;
            }
        }
        assertThat(allowed).isEqualTo(5);
        assertThat(limited).isEqualTo(15);
        // another client address has its own budget
        HttpResponse<String> other = get(second, "/api/wallets/probe", token, "198.51.100." + (int) (Math.random() * 200 + 1));
        assertThat(other.statusCode()).as(other.body()).isEqualTo(200);
    }

    @Test
    void whileRedisIsDownDenyPoliciesRefuseAndAllowPoliciesPass() throws IOException {
        String token = token(claims());
        assertThat(get(first, "/api/wallets", token, null).statusCode()).isEqualTo(200);
        redis.stop();
        try {
            // token revocation cannot be checked: refused (cairn.auth.revocation.on-store-failure=deny)
            HttpResponse<String> protectedRoute = get(first, "/api/wallets", token(claims()), null);
            assertThat(protectedRoute.statusCode()).isEqualTo(503);
            assertThat(protectedRoute.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(protectedRoute.headers().firstValue("Retry-After")).hasValue("1");
            // sign-in is under the "auth" policy, which denies without Redis
            assertThat(get(first, "/api/auth/login", null, null).statusCode()).isEqualTo(503);
            // the health page is only under "client", which allows
            assertThat(get(first, "/index.html", null, null).statusCode()).isEqualTo(200);
        } finally {
            redis.start();
        }
        // Redis is back, and empty: until the revocation list is restored no token is believed
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15))
                .until(() -> get(first, "/api/auth/login", null, null).statusCode() == 200);
        HttpResponse<String> beforeRestore = get(first, "/api/wallets", token, null);
        assertThat(beforeRestore.statusCode()).as(beforeRestore.body()).isEqualTo(503);
        markRevocationListComplete();
        assertThat(get(first, "/api/wallets", token, null).statusCode()).isEqualTo(200);
        // the second gateway sent nothing while Redis was down: its connection comes back on its own
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> get(second, "/api/wallets", token, null).statusCode() == 200);
    }

    private static Map<String, Object> claims() {
        return TestTokens.userClaims(ISSUER, "cairn", Instant.now());
    }

    private static Map<String, Object> with(Map<String, Object> claims, String name, Object value) {
        claims.put(name, value);
        return claims;
    }

    private static String token(Map<String, Object> claims) {
        return keys.sign(keys.header(), claims);
    }

    private HttpResponse<String> get(ConfigurableApplicationContext gateway, String path, String token, String forwardedFor) {
        String port = gateway.getEnvironment().getProperty("local.server.port");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (forwardedFor != null) {
            request.header("X-Forwarded-For", forwardedFor);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
