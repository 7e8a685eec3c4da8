package dev.cairn.localcluster;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterStateTest {

    @TempDir
    Path home;

    @Test
    void roundTripsThroughTheStateFile() {
        ProcessHandle self = ProcessHandle.current();
        ClusterState state = new ClusterState(ClusterState.READY, self.pid(), "http://127.0.0.1:8080", "/tmp/run", "h2", Instant.now(),
                List.of(new ClusterState.Entry("wallet-service-1", "wallet-service", 1234, self.pid(),
                        self.info().startInstant().orElse(null), "http://127.0.0.1:1234/actuator/health/readiness", "/tmp/run/x.log")));
        state.write(home);
        ClusterState read = ClusterState.read(home).orElseThrow();
        assertThat(read).isEqualTo(state);
        assertThat(read.launcherAlive()).isTrue();
        assertThat(ClusterState.live(read.processes().get(0))).isPresent();
        ClusterState.delete(home);
        assertThat(ClusterState.read(home)).isEmpty();
    }

    @Test
    void aReusedPidIsNotMistakenForTheProcessThatWasStarted() {
        ProcessHandle self = ProcessHandle.current();
        ClusterState.Entry stale = new ClusterState.Entry("old", "redis", 1, self.pid(), Instant.parse("2001-01-01T00:00:00Z"), null, "x");
        assertThat(ClusterState.live(stale)).isEmpty();
    }
}
