package dev.cairn.localcluster;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cairn.localcluster.store.Stores;

import static org.assertj.core.api.Assertions.assertThat;

/** What each process of a local cluster is told, without starting any. */
class ClusterLayoutTest {

    private static final Stores.Endpoints STORES = new Stores.Endpoints("mongodb://127.0.0.1:27000/cairn", "redis://127.0.0.1:6300",
            "jdbc:postgresql://127.0.0.1:5500", "cairn", "db-password");
    private static final Map<String, List<Integer>> PORTS = Map.of("tenant-service", List.of(9001, 9002), "wallet-service", List.of(9011, 9012),
            "register-service", List.of(9021, 9022), "validator-service", List.of(9031, 9032, 9033), "blueprint-service", List.of(9041, 9042),
            "peer-service", List.of(9051, 9052));

    @TempDir
    Path data;

    private ClusterLayout layout(ClusterSpec spec) {
        return new ClusterLayout(spec, PORTS, 8080, Secrets.load(data), STORES, 4242);
    }

    private ClusterLayout layout() {
        return layout(ClusterSpec.builder(Path.of(".")).build());
    }

    private static ServiceCatalog.Service service(String name) {
        return ServiceCatalog.find(name).orElseThrow();
    }

    @Test
    void everyProcessListensOnLoopbackKnowsItsLauncherRedisAndEveryTenantReplicasKeys() {
        Map<String, String> env = layout().serviceEnvironment(service("register-service"), 9021);
        assertThat(env).containsEntry("SERVER_PORT", "9021").containsEntry("SERVER_ADDRESS", "127.0.0.1")
                .containsEntry("CAIRN_PARENTPID", "4242").containsEntry("SPRING_DATA_REDIS_URL", "redis://127.0.0.1:6300")
                .containsEntry("SPRING_MONGODB_URI", "mongodb://127.0.0.1:27000/cairn")
                .containsEntry("CAIRN_AUTH_JWKSURIS", "http://127.0.0.1:9001/.well-known/jwks.json,http://127.0.0.1:9002/.well-known/jwks.json")
                .containsEntry("CAIRN_AUTH_CLIENT_ID", "register-service")
                .containsEntry("CAIRN_REGISTER_WEBSOCKET_ALLOWEDORIGINS", "http://127.0.0.1:8080,http://localhost:8080");
        assertThat(env).doesNotContainKey("SPRING_DATASOURCE_URL");
    }

    @Test
    void aServiceOnPostgresGetsItsOwnDatabase() {
        assertThat(layout().serviceEnvironment(service("wallet-service"), 9011))
                .containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:5500/cairn_wallet")
                .containsEntry("SPRING_DATASOURCE_USERNAME", "cairn").containsEntry("SPRING_DATASOURCE_PASSWORD", "db-password")
                .containsKey("CAIRN_WALLET_KEYS_LOCAL_KEY");
    }

    @Test
    void callersOfOtherServicesGetEveryReplicaOfThem() {
        assertThat(layout().serviceEnvironment(service("validator-service"), 9031))
                .containsEntry("CAIRN_VALIDATOR_REGISTERURIS", "http://127.0.0.1:9021,http://127.0.0.1:9022")
                .containsEntry("CAIRN_VALIDATOR_WALLETURIS", "http://127.0.0.1:9011,http://127.0.0.1:9012");
        assertThat(layout().gatewayEnvironment(8081).get("SPRING_APPLICATION_JSON"))
                .contains("\"validator-service\":{\"uris\":[\"http://127.0.0.1:9031\",\"http://127.0.0.1:9032\",\"http://127.0.0.1:9033\"]}");
    }

    @Test
    void theTenantServiceHoldsEveryServicesClientSecretAndEachServiceItsOwn() {
        ClusterLayout layout = layout();
        Map<String, String> tenant = layout.serviceEnvironment(service("tenant-service"), 9001);
        for (ServiceCatalog.Service other : ServiceCatalog.SERVICES) {
            String variable = "CAIRN_SECRET_" + other.name().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
            assertThat(tenant.get(variable)).as(variable).isEqualTo(layout.serviceEnvironment(other, 1).get("CAIRN_AUTH_CLIENT_SECRET"));
        }
        assertThat(layout.serviceEnvironment(service("peer-service"), 9051).get("CAIRN_AUTH_CLIENT_SECRET"))
                .isNotEqualTo(layout.serviceEnvironment(service("blueprint-service"), 9041).get("CAIRN_AUTH_CLIENT_SECRET"));
    }

    @Test
    void settingsGivenForTheWholeClusterWinOverTheLayoutsOwn() {
        ClusterSpec spec = ClusterSpec.builder(Path.of(".")).environment("CAIRN_PEER_URL", "https://peers.example")
                .environment("CAIRN_PEER_TRUSTONFIRSTUSE", "false").build();
        Map<String, String> peer = layout(spec).serviceEnvironment(service("peer-service"), 9051);
        assertThat(peer).containsEntry("CAIRN_PEER_URL", "https://peers.example").containsEntry("CAIRN_PEER_TRUSTONFIRSTUSE", "false");
        assertThat(layout().serviceEnvironment(service("peer-service"), 9051)).containsEntry("CAIRN_PEER_URL", "http://127.0.0.1:8080");
    }
}
