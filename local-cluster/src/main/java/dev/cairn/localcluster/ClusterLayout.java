package dev.cairn.localcluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

import dev.cairn.localcluster.process.Ports;
import dev.cairn.localcluster.store.Stores;

/**
 * Where every process of a local cluster listens and what each is told: the ports of every
 * service replica, the front's port, and each process's environment (the stores, the other
 * services' addresses, its own secrets). No process is started here; {@link LocalCluster}
 * supervises them.
 */
final class ClusterLayout {

    private final ClusterSpec spec;
    private final Map<String, List<Integer>> servicePorts;
    private final int frontPort;
    private final Secrets secrets;
    private final Stores.Endpoints endpoints;
    private final long launcherPid;
    private final Map<String, Integer> vacantPorts = new java.util.concurrent.ConcurrentHashMap<>();

    ClusterLayout(ClusterSpec spec, Map<String, List<Integer>> servicePorts, int frontPort, Secrets secrets, Stores.Endpoints endpoints,
            long launcherPid) {
        this.spec = spec;
        this.servicePorts = Map.copyOf(servicePorts);
        this.frontPort = frontPort;
        this.secrets = secrets;
        this.endpoints = endpoints;
        this.launcherPid = launcherPid;
    }

    /** A free port for each replica of each service, as many as the spec asks for. */
    static Map<String, List<Integer>> freePorts(ClusterSpec spec) {
        Map<String, List<Integer>> ports = new LinkedHashMap<>();
        for (ServiceCatalog.Service service : ServiceCatalog.SERVICES) {
            List<Integer> list = new ArrayList<>();
            for (int i = 1; i <= spec.replicasOf(service.name()); i++) {
                list.add(Ports.free());
            }
            ports.put(service.name(), list);
        }
        return ports;
    }

    List<Integer> ports(String service) {
        return servicePorts.get(service);
    }

    int frontPort() {
        return frontPort;
    }

    /** What a replica of {@code service} listening on {@code port} is told. */
    Map<String, String> serviceEnvironment(ServiceCatalog.Service service, int port) {
        Map<String, String> env = commonEnvironment(port);
        env.put("SPRING_MONGODB_URI", endpoints.mongoUri());
        if (service.postgresDb() != null) {
            env.put("SPRING_DATASOURCE_URL", endpoints.postgresDatabaseUrl(service.postgresDb()));
            env.put("SPRING_DATASOURCE_USERNAME", endpoints.postgresUser());
            env.put("SPRING_DATASOURCE_PASSWORD", endpoints.postgresPassword());
        }
        env.put("CAIRN_AUTH_CLIENT_ID", service.name());
        env.put("CAIRN_AUTH_CLIENT_SECRET", secrets.clientSecret(service.name()));
        env.put("CAIRN_AUTH_CLIENT_TOKENURIS", tenantUris("/api/service-auth/token"));
        switch (service.name()) {
            case "wallet-service" -> env.put("CAIRN_WALLET_KEYS_LOCAL_KEY", secrets.walletKeyEncryptionKey());
            case "validator-service" -> {
                env.put("CAIRN_VALIDATOR_REGISTERURIS", replicaUris("register-service"));
                env.put("CAIRN_VALIDATOR_WALLETURIS", replicaUris("wallet-service"));
                env.put("CAIRN_VALIDATOR_BLUEPRINTURIS", replicaUris("blueprint-service"));
            }
            case "register-service" -> env.putIfAbsent("CAIRN_REGISTER_WEBSOCKET_ALLOWEDORIGINS", consoleOrigins());
            case "blueprint-service" -> {
                env.putIfAbsent("CAIRN_BLUEPRINT_WEBSOCKET_ALLOWEDORIGINS", consoleOrigins());
                env.put("CAIRN_BLUEPRINT_REGISTERURIS", replicaUris("register-service"));
                env.put("CAIRN_BLUEPRINT_VALIDATORURIS", replicaUris("validator-service"));
                env.put("CAIRN_BLUEPRINT_WALLETURIS", replicaUris("wallet-service"));
            }
            case "peer-service" -> {
                env.put("CAIRN_PEER_KEYS_LOCAL_KEY", secrets.peerKeyEncryptionKey());
                env.put("CAIRN_PEER_REGISTERURIS", replicaUris("register-service"));
                env.putIfAbsent("CAIRN_PEER_URL", "http://127.0.0.1:" + frontPort);
                // a local installation is for development: peers are admitted on first use unless an allowlist is given
                if (!env.containsKey("CAIRN_PEER_ALLOW") && System.getenv("CAIRN_PEER_ALLOW") == null) {
                    env.putIfAbsent("CAIRN_PEER_TRUSTONFIRSTUSE", "true");
                }
            }
            case "tenant-service" -> {
                env.put("CAIRN_TENANT_KEYENCRYPTIONKEY", secrets.tenantKeyEncryptionKey());
                for (ServiceCatalog.Service other : ServiceCatalog.SERVICES) {
                    env.put("CAIRN_SECRET_" + other.name().toUpperCase(Locale.ROOT).replace('-', '_'), secrets.clientSecret(other.name()));
                }
            }
            default -> {
                // no settings of its own
            }
        }
        return env;
    }

    /** What a gateway listening on {@code port} is told: the addresses of every service's replicas. */
    Map<String, String> gatewayEnvironment(int port) {
        Map<String, String> env = commonEnvironment(port);
        Map<String, Object> services = new LinkedHashMap<>();
        // a service left out gets an empty list: the gateway neither routes to it nor counts it in /api/health
        servicePorts.forEach((service, ports) -> services.put(service,
                Map.of("uris", ports.isEmpty() ? "" : ports.stream().map(p -> "http://127.0.0.1:" + p).toList())));
        Map<String, Object> json = Map.of("cairn", Map.of("gateway", Map.of("services", services)));
        env.put("SPRING_APPLICATION_JSON", JsonMapper.builder().build().writeValueAsString(json));
        return env;
    }

    /** What every process is told: where it listens, its launcher, Redis and the token keys. */
    Map<String, String> commonEnvironment(int port) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SERVER_PORT", String.valueOf(port));
        env.put("SERVER_ADDRESS", "127.0.0.1");
        env.put("CAIRN_PARENTPID", String.valueOf(launcherPid));
        env.put("MALLOC_ARENA_MAX", "2");
        env.put("SPRING_DATA_REDIS_URL", endpoints.redisUri());
        env.put("CAIRN_AUTH_JWKSURIS", tenantUris("/.well-known/jwks.json"));
        if (spec.jsonLogs) {
            env.put("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs");
        }
        env.putAll(spec.extraEnvironment);
        return env;
    }

    /** The console's origin, the front URL, as a browser on this machine spells it: the only one allowed to open WebSockets. */
    private String consoleOrigins() {
        return "http://127.0.0.1:" + frontPort + ",http://localhost:" + frontPort;
    }

    /**
     * Every replica's base address, for clients that spread calls over them. A service left out
     * (no replicas) is given as an address where nothing listens: its clients see it down.
     */
    private String replicaUris(String service) {
        List<Integer> ports = servicePorts.get(service);
        if (ports.isEmpty()) {
            return "http://127.0.0.1:" + vacantPorts.computeIfAbsent(service, s -> Ports.free());
        }
        return String.join(",", ports.stream().map(p -> "http://127.0.0.1:" + p).toList());
    }

    /** Every tenant replica's address of a path, for clients that try them in turn. */
    private String tenantUris(String path) {
        return String.join(",", servicePorts.get("tenant-service").stream().map(p -> "http://127.0.0.1:" + p + path).toList());
    }
}
