package dev.cairn.gateway;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

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
 * DNS discovery as Docker Compose (--scale) and Kubernetes headless services use it: every
 * address of one host name is a replica on the same port. The test JVM resolves names from a
 * hosts file (-Djdk.net.hosts.file, see the failsafe configuration), which this test rewrites
 * to make replicas appear and disappear, as DNS would.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DnsDiscoveryIT {

    private static final Path HOSTS = Path.of(System.getProperty("jdk.net.hosts.file"));
    private static final int PORT = Ports.free();
    private static final TestReplica first = TestReplica.start("wallet-service@10.0.0.2", "127.0.0.2", PORT);
    private static final TestReplica second = TestReplica.start("wallet-service@10.0.0.3", "127.0.0.3", PORT);

    static {
        writeHosts(List.of("127.0.0.2", "127.0.0.3"));
    }

    @DynamicPropertySource
    static void dns(DynamicPropertyRegistry registry) {
        registry.add("cairn.gateway.discovery.mode", () -> "dns");
        registry.add("cairn.gateway.discovery.port", () -> PORT);
        registry.add("cairn.gateway.discovery.refresh-interval", () -> "300ms");
        registry.add("cairn.gateway.health.interval", () -> "200ms");
        // routing is what is tested here; edge security has its own test (EdgeSecurityIT)
        registry.add("cairn.gateway.security.public-paths", () -> "/**");
        registry.add("cairn.gateway.rate-limit.enabled", () -> "false");
        registry.add("cairn.gateway.services.wallet-service.dns-name", () -> "wallet-replicas");
    }

    @LocalServerPort
    int port;

    @Autowired
    UpstreamRegistry upstreams;

    private final HttpClient http = HttpClient.newHttpClient();

    @AfterAll
    static void stop() {
        first.close();
        second.close();
        writeHosts(List.of());
    }

    @Test
    void replicasFollowWhatTheNameResolvesTo() throws Exception {
        await().atMost(Duration.ofSeconds(5)).until(() -> servedBy(10).size() == 2);
        assertThat(servedBy(10)).containsExactlyInAnyOrder("wallet-service@10.0.0.2", "wallet-service@10.0.0.3");

        // Scale up: a third address appears under the name.
        try (TestReplica third = TestReplica.start("wallet-service@10.0.0.4", "127.0.0.4", PORT)) {
            writeHosts(List.of("127.0.0.2", "127.0.0.3", "127.0.0.4"));
            await().atMost(Duration.ofSeconds(5)).until(() -> servedBy(12).size() == 3);

            // Scale down: the first address leaves the name, then its process stops.
            writeHosts(List.of("127.0.0.3", "127.0.0.4"));
            await().atMost(Duration.ofSeconds(5)).until(() -> upstreams.replicas("wallet-service").size() == 2);
            first.close();
            assertThat(servedBy(12)).containsExactlyInAnyOrder("wallet-service@10.0.0.3", "wallet-service@10.0.0.4");
        }
    }

    private Set<String> servedBy(int requests) throws Exception {
        Set<String> instances = new HashSet<>();
        for (int i = 0; i < requests; i++) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/wallets"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            instances.add(response.headers().firstValue("X-Cairn-Instance").orElseThrow());
        }
        return instances;
    }

    private static void writeHosts(List<String> walletAddresses) {
        StringBuilder hosts = new StringBuilder("127.0.0.1 localhost\n");
        walletAddresses.forEach(address -> hosts.append(address).append(" wallet-replicas\n"));
        try {
            Files.writeString(HOSTS, hosts);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
