package dev.cairn.localcluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterSpecTest {

    private static final Path ROOT = Path.of(".");

    @Test
    void mostJvmsCompileWithC1OnlyButTheRegisterAndPeerServicesKeepBothTiers() {
        ClusterSpec spec = ClusterSpec.builder(ROOT).build();
        assertThat(spec.jvmOptions("wallet-service")).startsWith("-XX:TieredStopAtLevel=1").containsAll(ClusterSpec.DEFAULT_JVM_OPTIONS);
        assertThat(spec.jvmOptions(ServiceCatalog.GATEWAY)).contains("-XX:TieredStopAtLevel=1");
        assertThat(spec.jvmOptions("register-service")).isEqualTo(ClusterSpec.DEFAULT_JVM_OPTIONS);
        assertThat(spec.jvmOptions("peer-service")).isEqualTo(ClusterSpec.DEFAULT_JVM_OPTIONS);
    }

    @Test
    void fullJitGivesEveryJvmBothTiers() {
        ClusterSpec spec = ClusterSpec.builder(ROOT).quickJit(false).build();
        for (ServiceCatalog.Service service : ServiceCatalog.SERVICES) {
            assertThat(spec.jvmOptions(service.name())).as(service.name()).doesNotContain("-XX:TieredStopAtLevel=1");
        }
        assertThat(spec.jvmOptions(ServiceCatalog.GATEWAY)).doesNotContain("-XX:TieredStopAtLevel=1");
    }

    @Test
    void flagsGivenByTheCallerComeLastSoThatTheyWin() {
        List<String> flags = new ArrayList<>(ClusterSpec.DEFAULT_JVM_OPTIONS);
        flags.add("-XX:TieredStopAtLevel=4");
        List<String> options = ClusterSpec.builder(ROOT).jvmOptions(flags).build().jvmOptions("wallet-service");
        assertThat(options.lastIndexOf("-XX:TieredStopAtLevel=4")).isGreaterThan(options.indexOf("-XX:TieredStopAtLevel=1"));
    }
}
