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
        assertThat(spec.jvmOptions("register-service")).doesNotContain("-XX:TieredStopAtLevel=1").containsAll(ClusterSpec.DEFAULT_JVM_OPTIONS);
        assertThat(spec.jvmOptions("peer-service")).doesNotContain("-XX:TieredStopAtLevel=1").containsAll(ClusterSpec.DEFAULT_JVM_OPTIONS);
    }

    @Test
    void theRegisterAndPeerServicesGetTheLargerHeapTheOthersTheSmallOne() {
        ClusterSpec spec = ClusterSpec.builder(ROOT).build();
        assertThat(spec.jvmOptions("register-service")).containsAll(ClusterSpec.BULK_HEAP).doesNotContainAnyElementsOf(ClusterSpec.HEAP);
        assertThat(spec.jvmOptions("peer-service")).containsAll(ClusterSpec.BULK_HEAP).doesNotContainAnyElementsOf(ClusterSpec.HEAP);
        assertThat(spec.jvmOptions("wallet-service")).containsAll(ClusterSpec.HEAP).doesNotContainAnyElementsOf(ClusterSpec.BULK_HEAP);
        assertThat(spec.jvmOptions(ServiceCatalog.GATEWAY)).containsAll(ClusterSpec.HEAP);
        // a caller's heap comes after the launcher's, so that it wins
        List<String> flags = new ArrayList<>(ClusterSpec.DEFAULT_JVM_OPTIONS);
        flags.add("-Xmx1g");
        List<String> options = ClusterSpec.builder(ROOT).jvmOptions(flags).build().jvmOptions("register-service");
        assertThat(options.lastIndexOf("-Xmx1g")).isGreaterThan(options.indexOf("-Xmx384m"));
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
