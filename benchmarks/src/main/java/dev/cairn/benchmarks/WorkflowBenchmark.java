package dev.cairn.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;


import dev.cairn.localcluster.ClusterSpec;
import dev.cairn.localcluster.LocalCluster;
import dev.cairn.testsupport.LedgerFixture;

import static dev.cairn.benchmarks.BenchHttp.field;
import static dev.cairn.benchmarks.BenchHttp.option;
import static dev.cairn.benchmarks.BenchHttp.post;

/**
 * Workflow actions per second end to end (execute → sealed) with two replicas of every service,
 * the time from execute to sealed at fixed arrival rates, and from sealed to the notification of
 * the next participant; next to pre-signed raw transactions per second in the same run, with
 * the CPU time per sealed action of every process. Writes docs/benchmarks/workflow.md.
 *
 * <pre>bin/cairn bench workflow [--instances 1500] [--seconds 20] [--concurrency 48] [--warm-up 1000] [--quick 1] [--profile]
 *     [--jvm-options "FLAGS"]</pre>
 *
 * {@code --profile} records the measured closed-loop run of the busiest processes with the
 * flight recorder (starting a recording makes a JVM compile much of its code again, so the
 * figures of a profiled run are lower); {@code --quick 1} measures one open-loop rate only;
 * {@code --jvm-options} adds JVM flags to every service replica (to try a flag's effect).
 */
public final class WorkflowBenchmark {

    private static final String ORDER = "{\"item\":\"bolts\",\"quantity\":10,\"unitPrice\":150}";
    private static final String DELIVERY = "{\"deliveryDate\":\"2026-12-24\"}";

    private WorkflowBenchmark() {
    }

    /** The work an action of this workflow causes, by design (counted from the code, not measured). */
    static final List<String> WORK = List.of(
            "Each `execute` is one request through a gateway to a blueprint replica, which reads the instance and the chain's head, "
                    + "checks the data against the action's schema, runs three calculations and the route, encrypts the step's data to "
                    + "each recipient's wallet and the validator copy to the validators' wallet (X25519 and AES-GCM, three or four "
                    + "times), has the wallet service sign the transaction (one request, Ed25519), stores the step and submits it to the "
                    + "validator (one request).",
            "The validator verifies the signature (Ed25519), has the wallet service open its copy (one request, X25519), replays the "
                    + "step (schema, calculations, route, commitments, state hash), claims the step's place after the previous one and "
                    + "stores it; sealing then adds the docket's signature (one wallet request per docket) and the register's write, "
                    + "which verifies every signature again.",
            "The register's event reaches both blueprint replicas over Redis; the one that submitted the step marks it sealed, "
                    + "stores its notifications in one insert and sends them in one message, and moves the instance on.");

    /** Everything the runs share: addresses, token, registers, the blueprint, and what the followers saw. */
    private record Setup(List<String> gateways, String admin, List<String> registers, String blueprintId, String buyer, String supplier,
            Map<String, Long> confirmed, Map<String, CompletableFuture<Long>> available) {

        String gateway(int i) {
            return gateways.get(Math.floorMod(i, gateways.size()));
        }
    }

    private record Latency(int actions, int unsealed, int failed, double p50, double p99, double max, double notifyP50, double notifyP99) {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("cairn.root", ".")).toAbsolutePath().normalize();
        int instances = option(args, "--instances", 1500);
        int seconds = option(args, "--seconds", 20);
        int concurrency = option(args, "--concurrency", 48);
        int[] rates = option(args, "--quick", 0) == 1 ? new int[] {50} : new int[] {50, 100, 200};
        boolean profile = List.of(args).contains("--profile");
        Path home = Files.createTempDirectory("cairn-bench-workflow");
        List<String> jvm = BenchHttp.jvmOptions(args);
        System.out.println("cluster home: " + home);
        LocalCluster cluster = LocalCluster.start(ClusterSpec.builder(root).jvmOptions(jvm).home(home).replicas(2).gateways(2).nginx(ClusterSpec.NginxMode.OFF)
                .frontPort(0).mongoBackend(ClusterSpec.MongoBackend.MEMORY).mongoHeap("6g").freshData(true)
                .environment("CAIRN_GATEWAY_RATELIMIT_POLICIES_CLIENT_LIMIT", "1000000000")
                .environment("CAIRN_GATEWAY_RATELIMIT_POLICIES_CALLER_LIMIT", "1000000000").build());
        Report report = new Report("Workflow: actions executed and sealed end to end",
                "Produced by `bin/cairn bench workflow` (dev.cairn.benchmarks.WorkflowBenchmark). Two replicas of every service and two "
                        + "gateways, embedded stores (MongoDB is the embedded wire-protocol server, mongo-java-server, memory backend, much "
                        + "slower than a real replica set), all on this one machine with the client. The workflow is the purchase-order "
                        + "sample (samples/blueprints/purchase-order.json), small orders: the buyer places the order (action 0: a schema, "
                        + "three calculations, a route), the supplier confirms delivery (action 2). Each action is one `execute` through a "
                        + "gateway: the blueprint service checks and calculates, encrypts the disclosures to each wallet and the validator "
                        + "copy, has the wallet service sign, and submits; the validator opens its copy through the wallet service and "
                        + "replays the step before accepting it. An action counts as sealed when the register's event stream reports its "
                        + "transaction confirmed. " + ValidatorBenchmark.REGISTERS + " registers.");
        try {
            Setup setup = setup(cluster);
            // warm-up: the JIT compilers of 16 JVMs take minutes and much of the CPU before the services reach their steady state
            List<String> warm = createInstances(setup, option(args, "--warm-up", 1000));
            closedLoop(setup, warm, concurrency);

            ValidatorBenchmark.Throughput raw = ValidatorBenchmark.throughput(new ValidatorBenchmark.Setup(setup.gateway(0), setup.admin(),
                    setup.registers(), setup.confirmed(), new LedgerFixture()), 20_000);
            System.out.printf("raw pre-signed: %.0f sealed tx/s%n", raw.sealedPerSecond());

            List<String> measured = createInstances(setup, instances);
            System.out.printf("the JIT compilers settled after %.0f s%n",
                    ProcessCpu.awaitCompiled(0.1, Duration.ofSeconds(5), Duration.ofMinutes(5), cluster));
            Map<String, Long> restBefore = ProcessCpu.snapshot(cluster);
            Thread.sleep(10_000);
            Map<String, Long> atRest = ProcessCpu.between(restBefore, ProcessCpu.snapshot(cluster));
            List<Profile> recording = new ArrayList<>();
            if (profile) {
                Path profiles = Files.createTempDirectory("cairn-bench-profile");
                System.out.println("flight recordings of the measured run: " + profiles);
                recording.addAll(Profile.start(cluster, profiles, "blueprint-service", "validator-service", "wallet-service", "mongo"));
            }
            Map<String, Long> before = ProcessCpu.snapshot(cluster);
            long compilingBefore = ProcessCpu.compilerMillis(cluster);
            double actionsPerSecond = closedLoop(setup, measured, concurrency);
            Map<String, Long> used = ProcessCpu.between(before, ProcessCpu.snapshot(cluster));
            long compiling = ProcessCpu.compilerMillis(cluster) - compilingBefore;
            List<String> profileLines = new ArrayList<>();
            for (Profile recorded : recording) {
                profileLines.add(recorded.summary());
            }
            System.out.printf("workflow: %.0f actions sealed/s%n", actionsPerSecond);

            report.table("Run", "Actions or transactions", "Sealed per second", "Ratio to raw");
            report.row("pre-signed raw transactions, batches of 100", raw.transactions(), String.format("%.0f", raw.sealedPerSecond()), "1.00");
            report.row("workflow actions, " + concurrency + " instances in flight", 2 * instances, String.format("%.0f", actionsPerSecond),
                    String.format("%.2f", actionsPerSecond / raw.sealedPerSecond()));
            report.line("");
            report.line("Closed loop: " + concurrency + " clients, each taking the next instance, placing its order, waiting for the "
                    + "supplier's `ActionAvailable` notification (so the step is sealed and applied), then confirming delivery. Sealed "
                    + "per second: all actions, from the first execute to the last confirmation.");
            report.line("");
            report.line("## CPU time per sealed action, by process");
            report.line("");
            report.line("Every process's user and system CPU time from `/proc` before and after the measured closed-loop run, divided by "
                    + "the " + (2 * instances) + " actions it sealed (replicas of a service added together). The run started once "
                    + "the JIT compilers of every JVM had settled after the warm-up (below a tenth of a core for 5 s); during it they "
                    + "used " + ProcessCpu.compilerShare(compiling, used) + " of all the CPU.");
            ProcessCpu.report(report, used, 2L * instances, "sealed action");
            report.line("");
            report.line(String.format("At rest (10 s with no load, just before the run) the whole suite used %.2f of a core: %s.",
                    ProcessCpu.total(atRest) / 10_000.0, busiest(atRest, 10_000.0)));

            report.line("");
            report.line("## Latency, open loop");
            report.line("");
            report.line("Orders placed at a fixed rate whatever the system does, each on its own instance created beforehand. Execute "
                    + "→ sealed runs from when the order was due to when the register reported its transaction confirmed; sealed → "
                    + "notified from then to when the supplier's WebSocket (`/ws/blueprints`, on one blueprint replica) got "
                    + "`ActionAvailable` for the next action.");
            report.table("Rate", "Actions", "Not sealed", "Failed requests", "Execute → sealed p50", "p99", "max", "Sealed → notified p50", "p99");
            for (int rate : rates) {
                List<String> open = createInstances(setup, rate * seconds);
                Latency latency = openLoop(setup, open, rate);
                report.row(rate + " actions/s", latency.actions(), latency.unsealed(), latency.failed(), ms(latency.p50()), ms(latency.p99()),
                        ms(latency.max()), ms(latency.notifyP50()), ms(latency.notifyP99()));
                System.out.printf("open loop %d/s: %s%n", rate, latency);
                Thread.sleep(3000);
            }
            report.line("");
            report.line("## What one action involves");
            report.line("");
            WORK.forEach(report::line);
            if (!profileLines.isEmpty()) {
                report.line("");
                report.line("## Where the time goes");
                report.line("");
                report.line("Java Flight Recorder profiles (default settings, CPU samples) of one replica each during the measured "
                        + "closed-loop run (`--profile`: starting a recording makes the JVM compile much of its code again, so this "
                        + "run's figures are lower); the classes whose code was running in the most samples:");
                report.line("");
                profileLines.forEach(report::line);
            }
        } finally {
            cluster.close();
        }
        report.write(root.resolve("docs/benchmarks/workflow.md"));
    }

    private static Setup setup(LocalCluster cluster) throws Exception {
        ValidatorBenchmark.Setup base = ValidatorBenchmark.Setup.of(cluster); // administrator, registers, their confirmations
        List<String> gateways = cluster.gatewayUrls();
        String gateway = gateways.get(0);
        String admin = base.admin();
        String buyer = field(post(gateway + "/api/wallets", admin, "{\"name\":\"buyer\",\"algorithm\":\"ED25519\",\"wordCount\":12}"), "address");
        String supplier = field(post(gateway + "/api/wallets", admin, "{\"name\":\"supplier\",\"algorithm\":\"ED25519\",\"wordCount\":12}"),
                "address");
        String document = Files.readString(Path.of(System.getProperty("cairn.root", ".")).resolve("samples/blueprints/purchase-order.json"));
        String blueprintId = field(post(gateway + "/api/blueprints", admin, document), "id");
        post(gateway + "/api/blueprints/" + blueprintId + "/publish", admin, "");
        Map<String, CompletableFuture<Long>> available = new ConcurrentHashMap<>();
        followWallet(LocalCluster.url(cluster.replicas("blueprint-service").get(0)).replaceFirst("^http", "ws") + "/ws/blueprints", admin, supplier,
                available);
        return new Setup(gateways, admin, base.registers(), blueprintId, buyer, supplier, base.confirmed(), available);
    }

    private static List<String> createInstances(Setup setup, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<String>> created = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                created.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        String body = "{\"blueprintId\":\"" + setup.blueprintId() + "\",\"registerId\":\"" + setup.registers().get(n % setup.registers().size())
                                + "\",\"participants\":{\"buyer\":\"" + setup.buyer() + "\",\"supplier\":\"" + setup.supplier() + "\"}}";
                        String id = field(post(setup.gateway(n) + "/api/instances", setup.admin(), body), "id");
                        setup.available().put(id, new CompletableFuture<>());
                        return id;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
            List<String> ids = new ArrayList<>();
            for (CompletableFuture<String> c : created) {
                ids.add(c.get(5, TimeUnit.MINUTES));
            }
            return ids;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs both actions of every instance with {@code concurrency} clients; answers the actions sealed per second. */
    private static double closedLoop(Setup setup, List<String> instances, int concurrency) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        AtomicInteger next = new AtomicInteger();
        List<String> txIds = java.util.Collections.synchronizedList(new ArrayList<>());
        long started = System.nanoTime();
        try {
            List<CompletableFuture<Void>> running = new ArrayList<>();
            for (int c = 0; c < concurrency; c++) {
                running.add(CompletableFuture.runAsync(() -> {
                    for (int i = next.getAndIncrement(); i < instances.size(); i = next.getAndIncrement()) {
                        String instance = instances.get(i);
                        txIds.add(execute(setup, i, instance, 0, ORDER));
                        try {
                            setup.available().get(instance).get(60, TimeUnit.SECONDS);
                        } catch (Exception e) {
                            throw new IllegalStateException("no ActionAvailable for instance " + instance + " within 60 s", e);
                        }
                        txIds.add(execute(setup, i + 1, instance, 2, DELIVERY));
                    }
                }, clients));
            }
            CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(20, TimeUnit.MINUTES);
        } finally {
            clients.shutdownNow();
        }
        long last = awaitConfirmed(setup, txIds, Duration.ofMinutes(2));
        if (last < 0) {
            throw new IllegalStateException("not every action was sealed within 2 minutes");
        }
        return txIds.size() / ((last - started) / 1e9);
    }

    /** Executes an action (sending the same request again, with its idempotency key, after a 5xx); answers the step's txId. */
    private static String execute(Setup setup, int n, String instance, int action, String data) {
        String body = "{\"data\":" + data + ",\"idempotencyKey\":\"bench-" + action + "\"}";
        for (int attempt = 0; attempt < 30; attempt++) {
            try {
                HttpResponse<String> response = BenchHttp.send(HttpRequest.newBuilder(URI.create(setup.gateway(n + attempt) + "/api/instances/"
                        + instance + "/actions/" + action + "/execute")).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + setup.admin())
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
                if (response.statusCode() == 202) {
                    return field(response.body(), "txId");
                }
                if (response.statusCode() < 500) {
                    throw new IllegalStateException("execute was refused: " + response.statusCode() + " " + response.body());
                }
            } catch (IllegalStateException e) {
                throw e;
            } catch (Exception e) {
                // no answer: send it again
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        throw new IllegalStateException("an action was not accepted after 30 attempts");
    }

    private static Latency openLoop(Setup setup, List<String> instances, int rate) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(8);
        HttpClient client = HttpClient.newBuilder().executor(executor).version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2))
                .build();
        String[] txIds = new String[instances.size()];
        AtomicInteger failed = new AtomicInteger();
        long[] due = OpenLoopLoad.paced(instances.size(), 1_000_000_000L / rate, (i, dueAt) -> client.sendAsync(
                HttpRequest.newBuilder(URI.create(setup.gateway(i) + "/api/instances/" + instances.get(i) + "/actions/0/execute"))
                        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + setup.admin()).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"data\":" + ORDER + "}")).build(), HttpResponse.BodyHandlers.ofString())
                .handle((response, error) -> {
                    if (error != null || response.statusCode() != 202) {
                        failed.incrementAndGet();
                    } else {
                        txIds[i] = field(response.body(), "txId");
                    }
                    return null;
                }));
        executor.shutdownNow();
        List<String> accepted = new ArrayList<>();
        for (String txId : txIds) {
            if (txId != null) {
                accepted.add(txId);
            }
        }
        awaitConfirmed(setup, accepted, Duration.ofSeconds(60));
        List<Long> latencies = new ArrayList<>();
        List<Long> notified = new ArrayList<>();
        int unsealed = 0;
        for (int i = 0; i < instances.size(); i++) {
            Long sealed = txIds[i] == null ? null : setup.confirmed().get(txIds[i]);
            if (sealed == null) {
                unsealed++;
                continue;
            }
            latencies.add(sealed - due[i]);
            CompletableFuture<Long> told = setup.available().get(instances.get(i));
            try {
                notified.add(told.get(10, TimeUnit.SECONDS) - sealed);
            } catch (Exception e) {
                // not notified within 10 s of the end: left out, and counted below
            }
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        long[] notifications = notified.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Latency(instances.size(), unsealed, failed.get(), ValidatorBenchmark.ms(sorted, 0.5), ValidatorBenchmark.ms(sorted, 0.99),
                sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6, ValidatorBenchmark.ms(notifications, 0.5), ValidatorBenchmark.ms(notifications, 0.99));
    }

    private static long awaitConfirmed(Setup setup, List<String> ids, Duration within) throws InterruptedException {
        return ValidatorBenchmark.awaitConfirmed(setup.confirmed(), ids, within);
    }

    /** Completes each instance's future when the supplier's wallet is told its next action is available. */
    private static void followWallet(String ws, String token, String wallet, Map<String, CompletableFuture<Long>> available) throws Exception {
        EventStream.follow(ws, token, "\"wallet\":\"" + wallet + "\"", (event, arrived) -> {
            if ("ActionAvailable".equals(event.path("type").asString())) {
                available.computeIfAbsent(event.path("instanceId").asString(), k -> new CompletableFuture<>()).complete(arrived);
            }
        });
    }

    /** The three busiest processes of a CPU reading, as "name 0.12" (cores over {@code millis}). */
    private static String busiest(Map<String, Long> used, double millis) {
        return String.join(", ", used.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(3)
                .map(e -> String.format("%s %.2f", e.getKey(), e.getValue() / millis)).toList());
    }

    private static String ms(double millis) {
        return String.format("%.0f ms", millis);
    }
}
