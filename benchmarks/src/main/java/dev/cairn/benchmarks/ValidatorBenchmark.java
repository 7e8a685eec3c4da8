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
import static dev.cairn.benchmarks.BenchHttp.get;
import static dev.cairn.benchmarks.BenchHttp.option;
import static dev.cairn.benchmarks.BenchHttp.post;

/**
 * Transactions sealed per second end to end, and the time from submission to sealing under a
 * fixed arrival rate, with one and with two validator replicas. The client signs every
 * transaction beforehand and submits through the gateway; a transaction counts when the
 * register's event stream reports it confirmed. Writes docs/benchmarks/validator.md.
 *
 * <pre>bin/cairn bench validator [--transactions 40000] [--seconds 20]</pre>
 */
public final class ValidatorBenchmark {

    static final int REGISTERS = 4;
    private static final int BATCH = 100;
    private static final int OPEN_LOOP_BATCH = 10;

    private ValidatorBenchmark() {
    }

    record Throughput(int transactions, double acceptedPerSecond, double sealedPerSecond, int retried) {
    }

    private record Latency(int transactions, int unsealed, int failedRequests, double p50, double p90, double p99, double max) {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("cairn.root", ".")).toAbsolutePath().normalize();
        int transactions = option(args, "--transactions", 40_000);
        int[] rates = {250, 500, 1000};
        int seconds = option(args, "--seconds", 20);
        Report report = new Report("Validator: transactions sealed end to end",
                "Produced by `bin/cairn bench validator` (dev.cairn.benchmarks.ValidatorBenchmark). One replica of every other "
                        + "service, one gateway, embedded stores (MongoDB is the embedded wire-protocol server, mongo-java-server, "
                        + "memory backend, much slower than a real replica set), all on this one machine with the client. The client "
                        + "signs every transaction (ED25519) beforehand and submits through the gateway; a transaction counts as "
                        + "sealed when the register's event stream (`/ws/registers`, straight from the register replica) reports it "
                        + "confirmed. " + REGISTERS + " registers; dockets of at most 500 transactions or 100 ms (the defaults).");
        report.table("Validators", "Transactions", "Accepted tx/s", "Sealed tx/s", "Sealed / accepted", "Batches sent again after a 5xx");
        List<String> latencyRows = new ArrayList<>();
        List<String> profileLines = new ArrayList<>();
        for (int validators : new int[] {1, 2}) {
            Path home = Files.createTempDirectory("cairn-bench-validator");
            LocalCluster cluster = LocalCluster.start(ClusterSpec.builder(root).home(home).replicas(1).replicasOf("validator-service", validators)
                    .gateways(1).nginx(ClusterSpec.NginxMode.OFF).frontPort(0).mongoBackend(ClusterSpec.MongoBackend.MEMORY).mongoHeap("6g")
                    .freshData(true).environment("CAIRN_GATEWAY_RATELIMIT_POLICIES_CLIENT_LIMIT", "1000000000")
                    .environment("CAIRN_GATEWAY_RATELIMIT_POLICIES_CALLER_LIMIT", "1000000000").build());
            try {
                Setup setup = Setup.of(cluster);
                // warm-up: every code path, then the measured runs
                throughput(setup, REGISTERS * BATCH * 20);
                Path profiles = Files.createTempDirectory("cairn-bench-profile");
                List<Profile> recording = validators == 1 ? Profile.start(cluster, profiles, "validator-service", "register-service") : List.of();
                Throughput measured = throughput(setup, transactions);
                for (Profile profile : recording) {
                    profileLines.add(profile.summary());
                }
                report.row(validators, measured.transactions(), String.format("%.0f", measured.acceptedPerSecond()),
                        String.format("%.0f", measured.sealedPerSecond()), String.format("%.2f", measured.sealedPerSecond() / measured.acceptedPerSecond()), measured.retried());
                System.out.printf("%d validators: %.0f sealed tx/s%n", validators, measured.sealedPerSecond());
                for (int rate : rates) {
                    Latency latency = openLoop(setup, rate, Duration.ofSeconds(seconds));
                    latencyRows.add(String.format("| %d | %d tx/s | %d | %d | %d | %.0f ms | %.0f ms | %.0f ms | %.0f ms |", validators, rate,
                            latency.transactions(), latency.unsealed(), latency.failedRequests(), latency.p50(), latency.p90(), latency.p99(),
                            latency.max()));
                    System.out.printf("%d validators at %d tx/s: %s%n", validators, rate, latency);
                    Thread.sleep(5000); // let a backlog drain before the next rate
                }
            } finally {
                cluster.close();
            }
        }
        report.line("");
        report.line("Throughput: " + REGISTERS + " client threads, one per register, each submitting `POST /api/transactions/batch` "
                + "of " + BATCH + " as fast as the answers come (closed loop). Accepted: all acknowledged (202, durably in the mempool); "
                + "sealed: all confirmed by the registers.");
        report.line("");
        report.line("## Latency from submission to sealed, open loop");
        report.line("");
        report.line("Transactions arrive at a fixed rate whatever the system does, as batches of " + OPEN_LOOP_BATCH
                + " spread evenly over the registers; each transaction's latency runs from when its batch was due to when its "
                + "confirmation arrived, so a stall is not hidden by a slowed client.");
        report.table("Validators", "Rate", "Transactions", "Not sealed", "Failed requests", "p50", "p90", "p99", "max");
        latencyRows.forEach(report::line);
        report.line("");
        report.line("## Where the time goes");
        report.line("");
        report.line("A Java Flight Recorder profile (default settings, CPU samples) of the validator and the register replica during "
                + "the measured throughput run with one validator; the classes whose code was running in the most samples:");
        report.line("");
        profileLines.forEach(report::line);
        report.write(root.resolve("docs/benchmarks/validator.md"));
    }

    /** The cluster's addresses, a signed-in administrator, registers, and their event followers. */
    record Setup(String gateway, String admin, List<String> registers, Map<String, Long> confirmed, LedgerFixture fixture) {

        static Setup of(LocalCluster cluster) throws Exception {
            String gateway = cluster.gatewayUrls().get(0);
            String admin = BenchHttp.bootstrapAdmin(gateway);
            Map<String, Long> confirmed = new ConcurrentHashMap<>();
            List<String> registers = new ArrayList<>();
            String ws = LocalCluster.url(cluster.replicas("register-service").get(0)).replaceFirst("^http", "ws") + "/ws/registers";
            for (int i = 0; i < REGISTERS; i++) {
                String id = field(post(gateway + "/api/registers", admin, "{\"name\":\"bench " + i + "\"}"), "id");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!get(gateway + "/api/registers/" + id, admin).body().contains("\"ONLINE\"")) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("register " + id + " got no genesis docket within 60 s");
                    }
                    Thread.sleep(100);
                }
                registers.add(id);
                follow(ws, admin, id, confirmed);
            }
            return new Setup(gateway, admin, registers, confirmed, new LedgerFixture());
        }

        List<List<String>> batches(int transactions, int size) {
            List<List<String>> batches = new ArrayList<>();
            AtomicInteger n = new AtomicInteger();
            for (int b = 0; b < transactions / size; b++) {
                String registerId = registers.get(b % registers.size());
                List<String> batch = new ArrayList<>();
                for (int i = 0; i < size; i++) {
                    batch.add(fixture.action(registerId, n.incrementAndGet()).toString());
                }
                batches.add(batch);
            }
            return batches;
        }
    }

    static Throughput throughput(Setup setup, int transactions) throws Exception {
        List<List<String>> batches = setup.batches(transactions, BATCH);
        List<String> ids = txIds(batches);
        ExecutorService clients = Executors.newFixedThreadPool(REGISTERS);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger retried = new AtomicInteger();
        long started = System.nanoTime();
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (int c = 0; c < REGISTERS; c++) {
            running.add(CompletableFuture.runAsync(() -> {
                for (int b = next.getAndIncrement(); b < batches.size(); b = next.getAndIncrement()) {
                    submitUntilAccepted(setup, body(batches.get(b)), retried);
                }
            }, clients));
        }
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        long accepted = System.nanoTime();
        clients.shutdown();
        long sealed = awaitConfirmed(setup, ids, Duration.ofMinutes(5));
        if (sealed < 0) {
            throw new IllegalStateException("not every transaction was sealed within 5 minutes");
        }
        return new Throughput(ids.size(), ids.size() / ((accepted - started) / 1e9), ids.size() / ((sealed - started) / 1e9), retried.get());
    }

    /** Sends the batch again after a 5xx, as a client should (the same transactions are never stored twice). */
    private static void submitUntilAccepted(Setup setup, String body, AtomicInteger retried) {
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                HttpResponse<String> response = BenchHttp.send(HttpRequest.newBuilder(URI.create(setup.gateway() + "/api/transactions/batch"))
                        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + setup.admin())
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
                if (response.statusCode() / 100 == 2) {
                    return;
                }
                if (response.statusCode() < 500) {
                    throw new IllegalStateException("the batch was refused: " + response.statusCode() + " " + response.body());
                }
            } catch (IllegalStateException e) {
                throw e;
            } catch (Exception e) {
                // no answer: send it again
            }
            retried.incrementAndGet();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        throw new IllegalStateException("a batch was not accepted after 50 attempts");
    }

    private static Latency openLoop(Setup setup, int rate, Duration duration) throws Exception {
        int batchesPerSecond = rate / OPEN_LOOP_BATCH;
        int total = (int) (batchesPerSecond * duration.toSeconds());
        List<List<String>> batches = setup.batches(total * OPEN_LOOP_BATCH, OPEN_LOOP_BATCH);
        ExecutorService executor = Executors.newFixedThreadPool(4);
        HttpClient client = HttpClient.newBuilder().executor(executor).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        AtomicInteger failed = new AtomicInteger();
        long[] due = OpenLoopLoad.paced(batches.size(), 1_000_000_000L / batchesPerSecond, (b, dueAt) -> client.sendAsync(
                HttpRequest.newBuilder(URI.create(setup.gateway() + "/api/transactions/batch")).timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + setup.admin()).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body(batches.get(b)))).build(), HttpResponse.BodyHandlers.discarding())
                .handle((response, error) -> {
                    if (error != null || response.statusCode() / 100 != 2) {
                        failed.incrementAndGet();
                    }
                    return null;
                }));
        executor.shutdownNow();
        List<String> ids = txIds(batches);
        awaitConfirmed(setup, ids, Duration.ofSeconds(60));
        List<Long> latencies = new ArrayList<>();
        int unsealed = 0;
        for (int b = 0; b < batches.size(); b++) {
            for (int i = 0; i < OPEN_LOOP_BATCH; i++) {
                Long at = setup.confirmed().get(ids.get(b * OPEN_LOOP_BATCH + i));
                if (at == null) {
                    unsealed++;
                } else {
                    latencies.add(at - due[b]);
                }
            }
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Latency(ids.size(), unsealed, failed.get(), ms(sorted, 0.5), ms(sorted, 0.9), ms(sorted, 0.99),
                sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
    }

    private static long awaitConfirmed(Setup setup, List<String> ids, Duration within) throws InterruptedException {
        return awaitConfirmed(setup.confirmed(), ids, within);
    }

    /** When the last of these transactions was confirmed (System.nanoTime), or -1 if some were not within the time. */
    static long awaitConfirmed(Map<String, Long> confirmed, List<String> ids, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            long last = 0;
            boolean all = true;
            for (String id : ids) {
                Long at = confirmed.get(id);
                if (at == null) {
                    all = false;
                    break;
                }
                last = Math.max(last, at);
            }
            if (all) {
                return last;
            }
            Thread.sleep(20);
        }
        return -1;
    }

    private static List<String> txIds(List<List<String>> batches) {
        List<String> ids = new ArrayList<>();
        for (List<String> batch : batches) {
            for (String tx : batch) {
                ids.add(field(tx, "txId"));
            }
        }
        return ids;
    }

    private static String body(List<String> transactions) {
        return "{\"transactions\":[" + String.join(",", transactions) + "]}";
    }

    /** A quantile of nanosecond latencies, in milliseconds. */
    static double ms(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[(int) Math.max(0, Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1))] / 1e6;
    }

    /** Records when each TransactionConfirmed event of the register arrives. */
    static void follow(String ws, String token, String registerId, Map<String, Long> confirmed) throws Exception {
        EventStream.follow(ws, token, "\"registerId\":\"" + registerId + "\"", (event, arrived) -> {
            if ("TransactionConfirmed".equals(event.path("type").asString())) {
                confirmed.putIfAbsent(event.path("txId").asString(), arrived);
            }
        });
    }
}
