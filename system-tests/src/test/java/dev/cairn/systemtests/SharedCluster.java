package dev.cairn.systemtests;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import dev.cairn.localcluster.ClusterSpec;
import dev.cairn.localcluster.LocalCluster;

/**
 * One local cluster for the whole test run, shared by every test class that uses this
 * extension: two replicas of every service (three validators) behind two gateways, nginx in front when it is
 * installed. It is stopped when the run ends. Tests that kill processes restart them before
 * they finish, so that the next test finds the full cluster again.
 */
public final class SharedCluster implements BeforeAllCallback, ParameterResolver {

    /** How often the test installations' gateways probe each replica (the default is every second). */
    static final String PROBE_INTERVAL = "2s";

    /**
     * The JVM flags of the test installations' replicas: C1 only in every one, the register and
     * peer services included. Their C2 compilations double the CPU of each of their starts (15 s
     * against 7 s here), and the tests start them some twenty times for loads that C1's code
     * carries easily; the benchmarks keep the launcher's default.
     */
    static final List<String> JVM_OPTIONS = Stream.concat(ClusterSpec.QUICK_JIT.stream(), ClusterSpec.DEFAULT_JVM_OPTIONS.stream()).toList();

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedCluster.class);

    /** Root of the Cairn repository (where bin/cairn is). */
    public static Path repositoryRoot() {
        return Path.of(System.getProperty("cairn.root", "..")).toAbsolutePath().normalize();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster(context);
    }

    static LocalCluster cluster(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent(Running.class, key -> new Running(start()), Running.class)
                .cluster();
    }

    private static LocalCluster start() {
        ClusterSpec spec = ClusterSpec.builder(repositoryRoot())
                .home(Path.of(System.getProperty("cairn.test.home", "target/cairn-home")))
                .replicas(2)
                .jvmOptions(JVM_OPTIONS)
                // three validators, so that one can be killed while two still compete for its leases
                .replicasOf("validator-service", 3)
                .frontPort(0)
                .mongoBackend(ClusterSpec.MongoBackend.MEMORY)
                .freshData(true)
                .readyTimeout(Duration.ofMinutes(5))
                // Every test request comes from 127.0.0.1: the default per-address limits
                // would throttle the suite itself. The rate-limit test uses its own policy.
                .environment("CAIRN_GATEWAY_RATELIMIT_POLICIES_CLIENT_LIMIT", "1000000")
                .environment("CAIRN_GATEWAY_RATELIMIT_POLICIES_CALLER_LIMIT", "1000000")
                .environment("CAIRN_GATEWAY_RATELIMIT_POLICIES_AUTH_LIMIT", "1000000")
                .environment("CAIRN_GATEWAY_RATELIMIT_POLICIES_PROBE_PATHS", AuthE2EIT.PROBE_PATH)
                .environment("CAIRN_GATEWAY_RATELIMIT_POLICIES_PROBE_KEY", "ip")
                .environment("CAIRN_GATEWAY_RATELIMIT_POLICIES_PROBE_LIMIT", String.valueOf(AuthE2EIT.PROBE_LIMIT))
                .environment("CAIRN_GATEWAY_RATELIMIT_POLICIES_PROBE_PERIOD", "1m")
                // the gateways probe each replica every 2 s rather than every second: 2 gateways times
                // 15 replicas is 30 readiness checks a second otherwise, a tenth of this machine's two
                // cores while the suite idles between tests (a killed replica refuses connections and
                // is taken out at once either way)
                .environment("CAIRN_GATEWAY_HEALTH_INTERVAL", PROBE_INTERVAL)
                // shorter leases than the default 5 s: ten leader kills take less time
                .environment("CAIRN_VALIDATOR_LEASE_TTL", ValidatorE2EIT.LEASE_TTL.toMillis() + "ms")
                .environment("CAIRN_VALIDATOR_LEASE_RENEWEVERY", "500ms")
                // a killed blueprint replica's steps are settled by the sweep: sooner than the default 15 s
                .environment("CAIRN_BLUEPRINT_SETTLEAFTER", "4s")
                // installations started by PeerE2EIT learn of this one, and it of them, within seconds
                .environment("CAIRN_PEER_EXCHANGEINTERVAL", "1s")
                .environment("CAIRN_PEER_LONGPOLL", "2s")
                .build();
        long started = System.nanoTime();
        LocalCluster cluster = LocalCluster.start(spec);
        System.out.printf("Local cluster ready at %s in %.1f s (nginx: %s)%n", cluster.frontUrl(),
                (System.nanoTime() - started) / 1e9, cluster.hasNginx());
        return cluster;
    }

    private record Running(LocalCluster cluster) implements AutoCloseable {
        @Override
        public void close() {
            cluster.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        return parameter.getParameter().getType() == LocalCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        return cluster(extension);
    }
}
