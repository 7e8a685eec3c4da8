package dev.cairn.localcluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.cairn.localcluster.control.ControlSocket;
import dev.cairn.localcluster.control.ProcessControl;
import dev.cairn.localcluster.process.CdsArchive;
import dev.cairn.localcluster.process.JavaCommand;
import dev.cairn.localcluster.process.ManagedProcess;
import dev.cairn.localcluster.process.Ports;
import dev.cairn.localcluster.process.Readiness;
import dev.cairn.localcluster.store.Stores;

/**
 * The whole Cairn suite on this machine, supervised: the stores, N replicas of every service, the
 * gateways and nginx in front, started, awaited, killed, restarted and stopped. Where each
 * listens and what each is told is the {@link ClusterLayout}. {@code bin/cairn up} runs one; end-to-end tests and benchmarks start one per
 * test run through {@link #start(ClusterSpec)} and kill and restart its replicas.
 */
public final class LocalCluster implements ProcessControl, AutoCloseable {

    private static final Duration STOP_GRACE = Duration.ofSeconds(25);
    private static final String POSTGRES = "postgres";

    private final ClusterSpec spec;
    private final Path runDirectory;
    private final Stores stores = new Stores();
    private final Map<String, List<ManagedProcess>> replicas = new LinkedHashMap<>();
    private final List<ManagedProcess> gateways = new ArrayList<>();
    private final Map<String, CdsArchive> archives = new LinkedHashMap<>();
    private ClusterLayout layout;
    private ManagedProcess nginx;
    private int frontPort;
    private String frontUrl;
    private Thread shutdownHook;
    private ControlSocket control;
    private volatile boolean closed;

    private LocalCluster(ClusterSpec spec) {
        this.spec = spec;
        this.runDirectory = spec.home.resolve("runs").resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")));
    }

    /** Starts everything and returns once every process is ready and the front answers. */
    public static LocalCluster start(ClusterSpec spec) {
        LocalCluster cluster = new LocalCluster(spec);
        try {
            cluster.startAll();
            return cluster;
        } catch (RuntimeException e) {
            cluster.writeState(ClusterState.FAILED);
            cluster.close();
            throw e;
        }
    }

    private void startAll() {
        checkJars();
        Path dataDirectory = spec.home.resolve("data");
        prepareDirectories(dataDirectory);
        shutdownHook = new Thread(this::close, "cairn-local-cluster-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);

        Path logs = runDirectory.resolve("logs");
        Stores.Endpoints endpoints = stores.start(new Stores.StoreOptions(dataDirectory, logs,
                spec.mongoBackend == ClusterSpec.MongoBackend.H2, spec.mongoHeap, spec.mongoUri, spec.redisUri,
                spec.postgresUrl, spec.postgresUser,
                spec.postgresPassword != null ? spec.postgresPassword : Secrets.load(dataDirectory).postgresPassword()));

        long launcherPid = ProcessHandle.current().pid();
        Map<String, List<Integer>> servicePorts = ClusterLayout.freePorts(spec);
        boolean withNginx = switch (spec.nginx) {
            case OFF -> false;
            case ON -> true;
            case AUTO -> NginxFront.executable().isPresent();
        };
        frontPort = spec.frontPort == 0 ? Ports.free() : spec.frontPort;
        if (!Ports.isFree(frontPort)) {
            throw new IllegalStateException("Port " + frontPort + " is in use; choose another with --port");
        }
        layout = new ClusterLayout(spec, servicePorts, frontPort, Secrets.load(dataDirectory), endpoints, launcherPid);
        prepareArchives();
        for (ServiceCatalog.Service service : ServiceCatalog.SERVICES) {
            List<ManagedProcess> list = new ArrayList<>();
            List<Integer> ports = layout.ports(service.name());
            for (int i = 1; i <= ports.size(); i++) {
                int port = ports.get(i - 1);
                list.add(javaProcess(service.name() + "-" + i, service.name(), port, Path.of(service.jarPath()),
                        layout.serviceEnvironment(service, port), spec.jvmOptions(service.name())));
            }
            replicas.put(service.name(), list);
        }

        List<Integer> gatewayPorts = new ArrayList<>();
        for (int i = 1; i <= spec.gateways; i++) {
            int port = (!withNginx && i == 1) ? frontPort : Ports.free();
            gatewayPorts.add(port);
            gateways.add(javaProcess(ServiceCatalog.GATEWAY + "-" + i, ServiceCatalog.GATEWAY, port,
                    Path.of(ServiceCatalog.GATEWAY_JAR),
                    layout.gatewayEnvironment(port), spec.jvmOptions(ServiceCatalog.GATEWAY)));
        }
        if (withNginx) {
            Path executable = NginxFront.executable()
                    .orElseThrow(() -> new IllegalStateException("nginx is not installed (bin/cairn setup installs it)"));
            nginx = NginxFront.create(executable, frontPort, gatewayPorts, spec.repositoryRoot.resolve("console"), runDirectory,
                    logs.resolve("nginx.log"));
        }
        frontUrl = "http://127.0.0.1:" + frontPort;

        List<ManagedProcess> all = applicationProcesses();
        writeState(ClusterState.STARTING);
        all.forEach(ManagedProcess::start);
        writeState(ClusterState.STARTING);
        awaitAll(all, spec.readyTimeout);
        awaitFront(Duration.ofSeconds(30));
        writeState(ClusterState.READY);
        try {
            control = ControlSocket.open(spec.home, this);
        } catch (java.io.UncheckedIOException e) {
            System.err.println("No control socket (" + e.getCause().getMessage() + "): bin/cairn kill, start and the others, "
                    + "and bin/cairn faults --attach, cannot reach this suite");
        }
    }

    private ManagedProcess javaProcess(String name, String role, int port, Path jar, Map<String, String> environment,
            List<String> jvmOptions) {
        Path log = runDirectory.resolve("logs").resolve(name + ".log");
        CdsArchive archive = archives.get(role);
        List<String> command = archive != null ? archive.command(jvmOptions)
                : JavaCommand.jar(jvmOptions, spec.repositoryRoot.resolve(jar), List.of());
        return new ManagedProcess(name, role, port, command, environment, log, spec.repositoryRoot,
                Readiness.http(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness")));
    }

    /**
     * Makes (or reuses) a CDS archive of every jar, two at a time, with the same settings the
     * replicas get. Needs the stores, since the training run refreshes the application context.
     */
    private void prepareArchives() {
        if (!spec.appCds) {
            return;
        }
        Map<String, Path> jars = new LinkedHashMap<>();
        Map<String, Map<String, String>> environments = new LinkedHashMap<>();
        for (ServiceCatalog.Service service : ServiceCatalog.SERVICES) {
            if (spec.replicasOf(service.name()) == 0) {
                continue;
            }
            jars.put(service.name(), spec.repositoryRoot.resolve(service.jarPath()));
            environments.put(service.name(), layout.serviceEnvironment(service, Ports.free()));
        }
        jars.put(ServiceCatalog.GATEWAY, spec.repositoryRoot.resolve(ServiceCatalog.GATEWAY_JAR));
        environments.put(ServiceCatalog.GATEWAY, layout.commonEnvironment(Ports.free()));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Map<String, Future<CdsArchive>> pending = new LinkedHashMap<>();
            jars.forEach((role, jar) -> pending.put(role, pool.submit(() -> CdsArchive.prepare(jar, spec.jvmOptions(role),
                    environments.get(role), runDirectory.resolve("logs").resolve("cds-" + role + ".log")))));
            for (Map.Entry<String, Future<CdsArchive>> entry : pending.entrySet()) {
                try {
                    CdsArchive archive = entry.getValue().get();
                    if (archive != null) {
                        archives.put(entry.getKey(), archive);
                    }
                } catch (java.util.concurrent.ExecutionException e) {
                    System.err.println("No class-data archive for " + entry.getKey() + ": " + e.getCause().getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void checkJars() {
        List<String> missing = ServiceCatalog.jarPaths().stream()
                .filter(jar -> !Files.isRegularFile(spec.repositoryRoot.resolve(jar)))
                .toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Not built yet: " + missing + ". Run ./mvnw -DskipTests package (bin/cairn up does).");
        }
    }

    private void prepareDirectories(Path dataDirectory) {
        try {
            if (spec.freshData && Files.exists(dataDirectory)) {
                try (Stream<Path> paths = Files.walk(dataDirectory)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
            Files.createDirectories(dataDirectory);
            Files.createDirectories(runDirectory.resolve("logs"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitAll(List<ManagedProcess> processes, Duration timeout) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, processes.size()));
        try {
            List<Future<?>> waits = new ArrayList<>();
            for (ManagedProcess process : processes) {
                waits.add(pool.submit(() -> process.awaitReady(timeout)));
            }
            for (Future<?> wait : waits) {
                try {
                    wait.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while starting", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void awaitFront(Duration timeout) {
        Readiness health = Readiness.http(URI.create(frontUrl + "/api/health"));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (health.isReady()) {
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        throw new IllegalStateException(frontUrl + "/api/health did not report every service ready within " + timeout.toSeconds() + " s");
    }

    // ---- the Java API used by end-to-end tests and benchmarks ----

    /** The URL clients use: nginx when it runs, otherwise the first gateway. */
    public String frontUrl() {
        return frontUrl;
    }

    public List<ManagedProcess> replicas(String service) {
        List<ManagedProcess> list = replicas.get(service);
        if (list == null) {
            throw new IllegalArgumentException("unknown service " + service);
        }
        return List.copyOf(list);
    }

    public List<ManagedProcess> gateways() {
        return List.copyOf(gateways);
    }

    public List<String> gatewayUrls() {
        return gateways.stream().map(g -> "http://127.0.0.1:" + g.port()).toList();
    }

    public boolean hasNginx() {
        return nginx != null;
    }

    public Stores stores() {
        return stores;
    }

    public Path runDirectory() {
        return runDirectory;
    }

    /** The cluster's home: data (with secrets), runs, state. */
    public Path home() {
        return spec.home;
    }

    public static String url(ManagedProcess process) {
        return "http://127.0.0.1:" + process.port();
    }

    /** SIGKILLs a replica, as when its machine or container dies. */
    public void kill(ManagedProcess process) {
        process.kill();
        writeState(ClusterState.READY);
    }

    /** Stops a process gracefully (SIGTERM, then SIGKILL after a grace period), as an operator stops a server. */
    public void stop(ManagedProcess process) {
        process.stop(STOP_GRACE);
        writeState(ClusterState.READY);
    }

    /** Starts a stopped or killed process again on the same port and waits until it is ready. */
    public void restart(ManagedProcess process) {
        if (process.isAlive()) {
            process.stop(STOP_GRACE);
        }
        process.start();
        process.awaitReady(spec.readyTimeout);
        writeState(ClusterState.READY);
    }

    // ---- the same, by name: what bin/cairn kill|stop|start|pause|resume and the fault campaign ask for ----

    @Override
    public ClusterState state() {
        return state(ClusterState.READY);
    }

    @Override
    public void act(Verb verb, String process) {
        if (process.equals(POSTGRES) && (verb == Verb.STOP || verb == Verb.START)) {
            if (verb == Verb.STOP) {
                stores.stopPostgres();
            } else {
                stores.startPostgres();
            }
            writeState(ClusterState.READY);
            return;
        }
        ManagedProcess target = process(process, verb);
        switch (verb) {
            case KILL -> kill(target);
            case STOP -> stop(target);
            case START -> restart(target);
            case PAUSE -> target.pause();
            case RESUME -> target.resume();
        }
    }

    /** A process the launcher started, by name; the embedded PostgreSQL can only be stopped and started. */
    private ManagedProcess process(String name, Verb verb) {
        if (name.equals(POSTGRES)) {
            throw new IllegalArgumentException("postgres can be stopped and started, not " + switch (verb) {
                case KILL -> "killed";
                case PAUSE -> "paused";
                default -> "resumed";
            });
        }
        List<ManagedProcess> all = new ArrayList<>(stores.processes());
        all.addAll(applicationProcesses());
        return all.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no process '" + name + "'; known: "
                        + String.join(", ", state().processes().stream().map(ClusterState.Entry::name).toList())));
    }

    /** Starts every killed or stopped application process again, all at once on their ports, and waits until all are ready. */
    public void restartApplications() {
        List<ManagedProcess> stopped = applicationProcesses().stream().filter(p -> !p.isAlive()).toList();
        stopped.forEach(ManagedProcess::start);
        awaitAll(stopped, spec.readyTimeout);
        awaitFront(Duration.ofSeconds(30));
        writeState(ClusterState.READY);
    }

    private List<ManagedProcess> applicationProcesses() {
        List<ManagedProcess> all = new ArrayList<>();
        replicas.values().forEach(all::addAll);
        all.addAll(gateways);
        if (nginx != null) {
            all.add(nginx);
        }
        return all;
    }

    private synchronized void writeState(String status) {
        state(status).write(spec.home);
    }

    private ClusterState state(String status) {
        List<ClusterState.Entry> entries = new ArrayList<>();
        List<ManagedProcess> processes = new ArrayList<>(stores.processes());
        processes.addAll(applicationProcesses());
        for (ManagedProcess p : processes) {
            entries.add(new ClusterState.Entry(p.name(), p.role(), p.port(), p.pid(), startInstant(p.pid()),
                    p.readiness().toString(), p.log().toString()));
        }
        long postgresPid = stores.postgresPid();
        if (postgresPid > 0) {
            entries.add(new ClusterState.Entry(POSTGRES, POSTGRES, 0, postgresPid, startInstant(postgresPid), null,
                    runDirectory.resolve("logs/postgres.log").toString()));
        }
        String mongo = spec.mongoUri != null ? "external" : spec.mongoBackend.name().toLowerCase(java.util.Locale.ROOT);
        return new ClusterState(status, ProcessHandle.current().pid(), frontUrl, runDirectory.toString(), mongo, Instant.now(), entries);
    }

    private static Instant startInstant(long pid) {
        return pid <= 0 ? null : ProcessHandle.of(pid).flatMap(h -> h.info().startInstant()).orElse(null);
    }

    /** Stops nginx and the gateways first, then the services (gracefully, in parallel), then the stores. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (control != null) {
            control.close();
        }
        try {
            writeState(ClusterState.STOPPING);
        } catch (RuntimeException ignored) {
            // the state file is advisory; stopping matters more
        }
        List<ManagedProcess> front = new ArrayList<>(gateways);
        if (nginx != null) {
            front.add(0, nginx);
        }
        stopInParallel(front);
        List<ManagedProcess> services = new ArrayList<>();
        replicas.values().forEach(services::addAll);
        stopInParallel(services);
        stores.close();
        ClusterState.read(spec.home).filter(s -> s.launcherPid() == ProcessHandle.current().pid())
                .ifPresent(s -> ClusterState.delete(spec.home));
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
    }

    private static void stopInParallel(List<ManagedProcess> processes) {
        if (processes.isEmpty()) {
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(processes.size());
        processes.forEach(p -> pool.submit(() -> p.stop(STOP_GRACE)));
        pool.shutdown();
        try {
            pool.awaitTermination(STOP_GRACE.toSeconds() + 15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
