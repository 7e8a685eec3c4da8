package dev.cairn.systemtests;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.cairn.localcluster.LocalCluster;
import dev.cairn.localcluster.NginxFront;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What keeps the console safe in a browser, checked without one: its security headers from
 * nginx and from the gateway, and WebSockets refused from another origin.
 */
@EnabledIf(value = "nginxInstalled", disabledReason = "the console is served by nginx, which is not installed (bin/cairn setup)")
@ExtendWith(SharedCluster.class)
class ConsoleSecurityE2EIT {

    static boolean nginxInstalled() {
        return NginxFront.executable().isPresent();
    }

    private String frontUrl;
    private String gatewayUrl;
    private String admin;

    @BeforeEach
    void connect(LocalCluster cluster) {
        this.frontUrl = cluster.frontUrl();
        this.gatewayUrl = cluster.gatewayUrls().get(0);
        this.admin = Installation.adminToken(cluster);
    }

    @Test
    void theConsoleComesWithItsSecurityHeadersFromNginxAndTheGateway() {
        for (String base : List.of(frontUrl, gatewayUrl)) {
            for (String path : List.of("/", "/js/main.js", "/api/health")) {
                HttpResponse<String> response = new Http(base).get(path);
                assertThat(response.statusCode()).as(base + path).isIn(200, 503);
                assertThat(response.headers().firstValue("Content-Security-Policy")).as(base + path).hasValueSatisfying(csp ->
                        assertThat(csp).contains("default-src 'self'").contains("frame-ancestors 'none'").doesNotContain("unsafe"));
                assertThat(response.headers().firstValue("X-Content-Type-Options")).as(base + path).hasValue("nosniff");
            }
            assertThat(new Http(base).get("/js/main.js").headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                    assertThat(type).startsWith("text/javascript"));
        }
        assertThat(new Http(frontUrl).get("/").body()).as("nginx serves the console itself").contains("js/main.js");
    }

    @Test
    void aWebSocketFromAnotherOriginIsRefusedAtTheGateway() throws Exception {
        String token = admin;
        String host = frontUrl.replace("http://", "ws://");
        var client = java.net.http.HttpClient.newHttpClient();
        for (String path : List.of("/ws/blueprints", "/ws/registers")) {
            var accepted = client.newWebSocketBuilder().header("Origin", frontUrl).header("Authorization", "Bearer " + token)
                    .buildAsync(java.net.URI.create(host + path), new java.net.http.WebSocket.Listener() { })
                    .get(10, java.util.concurrent.TimeUnit.SECONDS);
            accepted.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "done");
        }
        for (String path : List.of("/ws/blueprints", "/ws/registers", "/ws;x/registers")) {
            var refused = client.newWebSocketBuilder().header("Origin", "http://evil.example").header("Authorization", "Bearer " + token)
                    .buildAsync(java.net.URI.create(host + path), new java.net.http.WebSocket.Listener() { });
            assertThat(refused).as(path + " from another origin").failsWithin(Duration.ofSeconds(10))
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .havingCause().isInstanceOfSatisfying(java.net.http.WebSocketHandshakeException.class, e -> {
                        assertThat(e.getResponse().statusCode()).isEqualTo(403);
                        assertThat(e.getResponse().headers().firstValue("X-Cairn-Instance")).as("refused by the gateway, before any service").isEmpty();
                    });
        }
    }
}
