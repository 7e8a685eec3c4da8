package dev.cairn.localcluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What to start: how many replicas of each service, which stores (embedded or external), where
 * to keep data and logs, and how the JVMs are tuned. Built by {@link Builder}; the CLI and the
 * Java tests build it the same way.
 */
public final class ClusterSpec {

    public enum MongoBackend { MEMORY, H2 }

    public enum NginxMode { AUTO, ON, OFF }

    /**
     * JVM flags of every service replica. Serial GC: with heaps this small and two cores, a
     * concurrent collector's extra threads cost more than its pauses save. Bounded heap,
     * metaspace and code cache keep each replica's resident memory predictable; the heap-free
     * ratios let the heap shrink back after start-up (the tenant service's Argon2 hashing grows
     * it by tens of MB), so that a 2-replica suite fits beside the stores. The launcher also
     * sets MALLOC_ARENA_MAX=2: glibc's per-thread malloc arenas otherwise add tens of MB.
     */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of(
            "-XX:+UseSerialGC", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30",
            "-XX:MaxMetaspaceSize=160m", "-XX:ReservedCodeCacheSize=64m", "-XX:MaxDirectMemorySize=128m", "-Xss512k",
            "-XX:+ExitOnOutOfMemoryError");

    /**
     * The JIT flag of a replica that shares the machine with the whole suite: the client
     * compiler (C1) only. Sixteen or so JVMs on two cores each compile their hot paths with C2 for
     * many minutes, and C2's work took a third of all the CPU in the workflow benchmark long after
     * start-up; C1 compiles an order of magnitude more cheaply, and its code is fast enough for
     * everything but signature arithmetic (docs/local-cluster.md has the figures).
     */
    public static final List<String> QUICK_JIT = List.of("-XX:TieredStopAtLevel=1");

    /**
     * The services that keep both JIT tiers by default, whose hot paths are long computations
     * where C2's code is markedly faster: the register verifies every signature of every docket it
     * stores or replicates, and the peer service moves whole batches of dockets (megabytes of
     * JSON to parse, hash and check) between installations.
     */
    public static final java.util.Set<String> FULL_JIT_SERVICES = java.util.Set.of("register-service", "peer-service");

    /** The heap of a replica: small, and shrinking back after start-up (the ratios above). */
    public static final List<String> HEAP = List.of("-Xms48m", "-Xmx256m");

    /**
     * The heap of the register and peer services ({@link #FULL_JIT_SERVICES}), which take and
     * give megabytes per request (a batch of a hundred dockets is a few MB of JSON, and its parsed
     * form ten times that): a young generation that holds a batch's garbage, so that it dies
     * there. With {@link #HEAP}, the parsed batches outlived the young generation, were promoted
     * and collected by full collections: over two peer catch-ups of 40,000 transactions
     * (`bin/cairn bench peer`), the register and peer replicas of both installations spent 24 s
     * in the collector; with this heap, 3 s (docs/local-cluster.md).
     */
    public static final List<String> BULK_HEAP = List.of("-Xms256m", "-Xmx384m", "-Xmn160m");

    final Path repositoryRoot;
    final Path home;
    final int defaultReplicas;
    final Map<String, Integer> replicasOf;
    final int gateways;
    final int frontPort;
    final NginxMode nginx;
    final MongoBackend mongoBackend;
    final String mongoUri;
    final String redisUri;
    final String postgresUrl;
    final String postgresUser;
    final String postgresPassword;
    final boolean freshData;
    final boolean jsonLogs;
    final List<String> jvmOptions;
    final boolean quickJit;
    final Map<String, String> extraEnvironment;
    final Duration readyTimeout;
    final String mongoHeap;
    final boolean appCds;

    private ClusterSpec(Builder b) {
        this.repositoryRoot = b.repositoryRoot.toAbsolutePath().normalize();
        this.home = (b.home != null ? b.home : repositoryRoot.resolve(".cairn")).toAbsolutePath().normalize();
        this.defaultReplicas = b.replicas;
        this.replicasOf = Map.copyOf(b.replicasOf);
        this.gateways = b.gateways != null ? b.gateways : (b.replicas > 1 ? 2 : 1);
        this.frontPort = b.frontPort;
        this.nginx = b.nginx;
        this.mongoBackend = b.mongoBackend;
        this.mongoUri = b.mongoUri;
        this.redisUri = b.redisUri;
        this.postgresUrl = b.postgresUrl;
        this.postgresUser = b.postgresUser;
        this.postgresPassword = b.postgresPassword;
        this.freshData = b.freshData;
        this.jsonLogs = b.jsonLogs;
        this.jvmOptions = List.copyOf(b.jvmOptions);
        this.quickJit = b.quickJit;
        this.extraEnvironment = Map.copyOf(b.extraEnvironment);
        this.readyTimeout = b.readyTimeout;
        this.mongoHeap = b.mongoHeap;
        this.appCds = b.appCds;
    }

    /** The JVM flags of a replica of this role (a service's name, or the gateway). */
    List<String> jvmOptions(String role) {
        boolean bulk = FULL_JIT_SERVICES.contains(role);
        List<String> options = new ArrayList<>(quickJit && !bulk ? QUICK_JIT : List.of());
        options.addAll(bulk ? BULK_HEAP : HEAP);
        options.addAll(jvmOptions); // flags given later win: a caller may still ask for a tier or a heap
        return options;
    }

    public static Builder builder(Path repositoryRoot) {
        return new Builder(repositoryRoot);
    }

    public int replicasOf(String service) {
        return replicasOf.getOrDefault(service, defaultReplicas);
    }

    public Path home() {
        return home;
    }

    public Path repositoryRoot() {
        return repositoryRoot;
    }

    public static final class Builder {
        private final Path repositoryRoot;
        private Path home;
        private int replicas = 1;
        private final Map<String, Integer> replicasOf = new LinkedHashMap<>();
        private Integer gateways;
        private int frontPort = 8080;
        private NginxMode nginx = NginxMode.AUTO;
        private MongoBackend mongoBackend = MongoBackend.H2;
        private String mongoUri;
        private String redisUri;
        private String postgresUrl;
        private String postgresUser = "cairn";
        private String postgresPassword;
        private boolean freshData;
        private boolean jsonLogs;
        private List<String> jvmOptions = new ArrayList<>(DEFAULT_JVM_OPTIONS);
        private boolean quickJit = true;
        private final Map<String, String> extraEnvironment = new LinkedHashMap<>();
        private Duration readyTimeout = Duration.ofMinutes(4);
        private String mongoHeap = "1g";
        private boolean appCds = true;

        private Builder(Path repositoryRoot) {
            this.repositoryRoot = repositoryRoot;
        }

        /** Where data, secrets and run logs go (default: {@code <repository>/.cairn}). */
        public Builder home(Path home) {
            this.home = home;
            return this;
        }

        public Builder replicas(int replicas) {
            if (replicas < 1) {
                throw new IllegalArgumentException("replicas must be at least 1");
            }
            this.replicas = replicas;
            return this;
        }

        public Builder replicasOf(String service, int count) {
            if (ServiceCatalog.find(service).isEmpty()) {
                throw new IllegalArgumentException("unknown service '" + service + "'; known: "
                        + ServiceCatalog.SERVICES.stream().map(ServiceCatalog.Service::name).toList());
            }
            if (count < 0) {
                throw new IllegalArgumentException("replicas of " + service + " cannot be negative");
            }
            if (count == 0 && service.equals("tenant-service")) {
                throw new IllegalArgumentException("tenant-service cannot be left out: it signs every token the others accept");
            }
            replicasOf.put(service, count);
            return this;
        }

        public Builder gateways(int gateways) {
            this.gateways = gateways;
            return this;
        }

        /** Port of the front door (nginx, or the first gateway without nginx); 0 picks a free one. */
        public Builder frontPort(int port) {
            this.frontPort = port;
            return this;
        }

        public Builder nginx(NginxMode mode) {
            this.nginx = mode;
            return this;
        }

        public Builder mongoBackend(MongoBackend backend) {
            this.mongoBackend = backend;
            return this;
        }

        public Builder mongoHeap(String heap) {
            this.mongoHeap = heap;
            return this;
        }

        public Builder externalMongo(String uri) {
            this.mongoUri = uri;
            return this;
        }

        public Builder externalRedis(String uri) {
            this.redisUri = uri;
            return this;
        }

        public Builder externalPostgres(String jdbcUrl, String user, String password) {
            this.postgresUrl = jdbcUrl;
            this.postgresUser = user;
            this.postgresPassword = password;
            return this;
        }

        /** Wipe stored data (PostgreSQL, MongoDB, secrets) before starting. */
        public Builder freshData(boolean fresh) {
            this.freshData = fresh;
            return this;
        }

        public Builder jsonLogs(boolean json) {
            this.jsonLogs = json;
            return this;
        }

        public Builder jvmOptions(List<String> options) {
            this.jvmOptions = new ArrayList<>(options);
            return this;
        }

        /**
         * Whether the replicas of every service but {@link #FULL_JIT_SERVICES} and the gateways
         * compile with C1 only ({@link #QUICK_JIT}, the default); false gives every JVM both
         * tiers, as the images have (for a long run on a machine with cores to spare).
         */
        public Builder quickJit(boolean quick) {
            this.quickJit = quick;
            return this;
        }

        /** An environment variable given to every service and gateway replica. */
        public Builder environment(String name, String value) {
            extraEnvironment.put(name, value);
            return this;
        }

        /** Start replicas from class-data-sharing archives (made once per build); on by default. */
        public Builder appCds(boolean enabled) {
            this.appCds = enabled;
            return this;
        }

        public Builder readyTimeout(Duration timeout) {
            this.readyTimeout = timeout;
            return this;
        }

        public ClusterSpec build() {
            return new ClusterSpec(this);
        }
    }
}
