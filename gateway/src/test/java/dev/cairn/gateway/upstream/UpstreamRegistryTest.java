package dev.cairn.gateway.upstream;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which replica takes a request, as probes and failed requests change what the gateway believes. */
class UpstreamRegistryTest {

    private static final URI A = URI.create("http://127.0.0.1:9001");
    private static final URI B = URI.create("http://127.0.0.1:9002");

    private final UpstreamRegistry registry = new UpstreamRegistry(new UpstreamProperties(
            Map.of("wallet-service", new UpstreamProperties.Service(List.of(A, B), null, null)),
            new UpstreamProperties.Discovery(UpstreamProperties.Mode.STATIC, 8080, "http", Duration.ofSeconds(5)),
            new UpstreamProperties.Health("/actuator/health/readiness", Duration.ofSeconds(1), Duration.ofMillis(800), 2, Duration.ofMillis(500))));

    private Replica replica(URI uri) {
        return registry.replicas("wallet-service").stream().filter(r -> r.uri().equals(uri)).findFirst().orElseThrow();
    }

    /** The replicas {@code times} requests in a row go to (null when one found none). */
    private Set<URI> chosen(int times) {
        Set<URI> chosen = new HashSet<>();
        for (int i = 0; i < times; i++) {
            Replica replica = registry.choose("wallet-service", Set.of());
            chosen.add(replica == null ? null : replica.uri());
        }
        return chosen;
    }

    private void slowProbes(URI uri) {
        registry.probeFailed(replica(uri), "ReadTimeoutException", false);
        registry.probeFailed(replica(uri), "ReadTimeoutException", false);
    }

    @Test
    void requestsGoRoundTheReplicasAndARetryGoesToAnother() {
        assertThat(chosen(4)).containsExactlyInAnyOrder(A, B);
        assertThat(registry.choose("wallet-service", Set.of(A)).uri()).isEqualTo(B);
        assertThat(registry.choose("wallet-service", Set.of(A, B))).isNull();
    }

    @Test
    void oneSlowProbeIsForgivenTwoInARowTakeTheReplicaOut() {
        registry.probeFailed(replica(A), "ReadTimeoutException", false);
        assertThat(chosen(4)).containsExactlyInAnyOrder(A, B);
        registry.probeFailed(replica(A), "ReadTimeoutException", false);
        assertThat(chosen(4)).containsExactly(B);
    }

    @Test
    void whenEveryReplicaIsOutOnlyForSlowProbesTheyAreTriedRatherThanNone() {
        slowProbes(A);
        slowProbes(B);
        assertThat(chosen(4)).as("a slow answer serves the client, a 503 does not").containsExactlyInAnyOrder(A, B);
        assertThat(registry.choose("wallet-service", Set.of(A)).uri()).isEqualTo(B);
    }

    @Test
    void aReplicaThatRefusedOrSaidItIsNotReadyIsNeverTried() {
        slowProbes(A);
        registry.requestFailed(replica(B), new java.net.ConnectException("Connection refused"));
        assertThat(chosen(4)).containsExactly(A);
        registry.probeFailed(replica(A), "readiness answered 503", true);
        assertThat(chosen(4)).containsExactly((URI) null);
    }

    @Test
    void panicRoutingEndsAsSoonAsOneReplicaIsUpAgain() {
        slowProbes(A);
        slowProbes(B);
        registry.probeSucceeded(replica(B), "wallet-service@b");
        assertThat(chosen(4)).containsExactly(B);
    }
}
