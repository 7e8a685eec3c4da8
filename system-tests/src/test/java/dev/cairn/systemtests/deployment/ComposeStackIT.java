package dev.cairn.systemtests.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.ContainerState;
import org.testcontainers.containers.wait.strategy.Wait;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import dev.cairn.localcluster.process.Ports;

/**
 * The compose project under Docker Compose, scaled as the deployment guide says: every replica
 * becomes ready behind nginx, a wallet created through one replica signs after another is
 * killed, and the suite keeps answering through a MongoDB step-down and a Redis Sentinel
 * failover. Needs a Docker engine with Compose v2: {@code ./mvnw verify -Pdocker}.
 */
@Tag("docker")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeStackIT {

    private static final Path ROOT = Path.of(System.getProperty("cairn.root", "..")).toAbsolutePath().normalize();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Map<String, Integer> SCALE = Map.of("gateway", 2, "tenant-service", 2, "wallet-service", 2,
            "blueprint-service", 3, "validator-service", 2);

    private static ComposeContainer compose;
    private static String front;
    private static String token;

    @BeforeAll
    static void start() throws IOException {
        int port = Ports.free();
        compose = new ComposeContainer("cairn-it", new File(ROOT.resolve("compose/compose.yaml").toString()))
                .withEnv(environment(port))
                .withBuild(true)
                .withRemoveVolumes(true)
                .withStartupTimeout(Duration.ofMinutes(25))
                .waitingFor("nginx", Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(25)));
        SCALE.forEach(compose::withScaledService);
        compose.start();
        front = "http://127.0.0.1:" + port;
    }

    @AfterAll
    static void stop() {
        if (compose != null) {
            compose.stop();
        }
    }

    @Test
    @Order(1)
    void everyReplicaIsReadyBehindNginx() {
        await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> {
            HttpResponse<String> health = get("/api/health", null);
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
            JsonNode services = JSON.readTree(health.body()).path("services");
            SCALE.forEach((service, replicas) -> {
                if (!service.equals("gateway")) {
                    assertThat(services.path(service).path("ready").asInt()).as(service).isEqualTo(replicas);
                }
            });
        });
        HttpResponse<String> bootstrap = post("/api/tenants/bootstrap", null, """
                {"organizationName":"Compose","adminEmail":"admin@compose.test","adminPassword":"compose test password","adminName":"Admin"}""");
        assertThat(bootstrap.statusCode()).as(bootstrap.body()).isEqualTo(201);
        token = login();
    }

    @Test
    @Order(2)
    void aWalletSignsAfterAReplicaIsKilled() {
        HttpResponse<String> created = post("/api/wallets", token, "{\"name\":\"compose\",\"algorithm\":\"ED25519\",\"wordCount\":12}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String address = JSON.readTree(created.body()).path("address").asString();

        ContainerState victim = compose.getContainerByServiceName("wallet-service-1").orElseThrow();
        DockerClientFactory.instance().client().killContainerCmd(victim.getContainerId()).exec();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> signed = post("/api/wallets/" + address + "/sign", token, "{\"data\":\"aGVsbG8=\"}");
            assertThat(signed.statusCode()).as("signature %d after the kill: %s", i, signed.body()).isEqualTo(200);
        }
    }

    @Test
    @Order(3)
    void survivesAMongoStepDown() throws Exception {
        var result = compose.getContainerByServiceName("mongo-1").orElseThrow()
                .execInContainer("mongosh", "--quiet", "--eval", "rs.stepDown(30)");
        assertThat(result.getExitCode()).as(result.getStderr()).isIn(0, 1); // the shell loses its connection on step-down
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(get("/api/health", null).statusCode()).isEqualTo(200));
    }

    @Test
    @Order(4)
    void survivesARedisSentinelFailover() throws Exception {
        var result = compose.getContainerByServiceName("redis-sentinel-1").orElseThrow()
                .execInContainer("redis-cli", "-p", "26379", "SENTINEL", "failover", "cairn");
        assertThat(result.getStdout()).contains("OK");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            String fresh = login();
            assertThat(get("/api/auth/me", fresh).statusCode()).isEqualTo(200);
        });
    }

    private static String login() {
        HttpResponse<String> login = post("/api/auth/login", null, "{\"email\":\"admin@compose.test\",\"password\":\"compose test password\"}");
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        return JSON.readTree(login.body()).path("accessToken").asString();
    }

    /** Every variable of .env.example, secrets freshly generated. */
    private static Map<String, String> environment(int port) throws IOException {
        SecureRandom random = new SecureRandom();
        Map<String, String> environment = new LinkedHashMap<>();
        for (String line : Files.readAllLines(ROOT.resolve("compose/.env.example"))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String name = line.substring(0, line.indexOf('='));
            String value = line.substring(line.indexOf('=') + 1);
            if (value.equals("change-me")) {
                byte[] secret = new byte[32];
                random.nextBytes(secret);
                value = Base64.getEncoder().encodeToString(secret);
            }
            environment.put(name, value);
        }
        environment.put("CAIRN_HTTP_PORT", String.valueOf(port));
        environment.put("CAIRN_HTTPS_PORT", String.valueOf(Ports.free()));
        environment.put("POSTGRES_HOST_PORT", String.valueOf(Ports.free()));
        return environment;
    }

    private static HttpResponse<String> get(String path, String bearer) {
        return send(HttpRequest.newBuilder(URI.create(front + path)).GET(), bearer);
    }

    private static HttpResponse<String> post(String path, String bearer, String json) {
        return send(HttpRequest.newBuilder(URI.create(front + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), bearer);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request, String bearer) {
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
