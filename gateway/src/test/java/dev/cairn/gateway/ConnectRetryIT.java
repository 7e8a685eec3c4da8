package dev.cairn.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.cairn.gateway.upstream.Replica;
import dev.cairn.gateway.upstream.UpstreamRegistry;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A replica dies between two probes: even a POST, which the gateway never retries once it was
 * sent, goes on to another replica when the dead one refuses the connection, since it never saw
 * the request. (Probes here run once an hour, so only the refused connection can tell.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConnectRetryIT {

    private static final TestReplica doomed = TestReplica.start("validator-service@doomed");
    private static final TestReplica live = TestReplica.start("validator-service@live");

    @DynamicPropertySource
    static void replicas(DynamicPropertyRegistry registry) {
        registry.add("cairn.gateway.services.validator-service.uris", () -> doomed.uri() + "," + live.uri());
        for (String service : List.of("tenant-service", "wallet-service", "register-service", "blueprint-service", "peer-service")) {
            registry.add("cairn.gateway.services." + service + ".uris", live::uri);
        }
        registry.add("cairn.gateway.health.interval", () -> "1h");
        registry.add("cairn.gateway.security.public-paths", () -> "/**");
        registry.add("cairn.gateway.rate-limit.enabled", () -> "false");
    }

    @LocalServerPort
    int port;

    @Autowired
    UpstreamRegistry upstreams;

    @AfterAll
    static void stop() {
        live.close();
    }

    @Test
    void aPostSentToAReplicaThatJustDiedIsServedByAnother() throws Exception {
        org.awaitility.Awaitility.await().until(() -> upstreams.replicas("validator-service").stream()
                .allMatch(r -> r.state() == Replica.State.UP));
        doomed.close();
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/transactions"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"n\":" + i + "}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).contains("\"method\":\"POST\"").contains("\"bytes\":7");
            assertThat(response.headers().firstValue("X-Cairn-Instance")).hasValue("validator-service@live");
        }
        assertThat(upstreams.replicas("validator-service").get(0).state()).isEqualTo(Replica.State.DOWN);
        assertThat(live.requests()).isEqualTo(4);
    }

}
