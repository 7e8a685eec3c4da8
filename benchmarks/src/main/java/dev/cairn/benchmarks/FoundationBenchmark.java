package dev.cairn.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.cairn.localcluster.ClusterSpec;
import dev.cairn.localcluster.LocalCluster;
import dev.cairn.localcluster.ServiceCatalog;
import dev.cairn.localcluster.process.ManagedProcess;

/**
 * Cold start of the whole suite (1 and 2 replicas of everything), resident memory of every JVM
 * at idle, and what the gateway and nginx add to a request at a fixed rate. Writes
 * docs/benchmarks/foundation.md.
 *
 * <pre>bin/cairn bench foundation [--rate 300] [--seconds 20]</pre>
 */
public final class FoundationBenchmark {

    private FoundationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("cairn.root", ".")).toAbsolutePath().normalize();
        int rate = intOption(args, "--rate", 200);
        int seconds = intOption(args, "--seconds", 15);
        Path home = Files.createTempDirectory("cairn-bench");

        Report report = new Report("Foundation: start-up, memory, gateway overhead",
                "Produced by `bin/cairn bench foundation` (dev.cairn.benchmarks.FoundationBenchmark). Embedded stores "
                        + "(MongoDB wire server, memory backend; PostgreSQL; Redis). JVM flags of every replica: `"
                        + String.join(" ", ClusterSpec.DEFAULT_JVM_OPTIONS) + " " + String.join(" ", ClusterSpec.HEAP) + "` (and `"
                        + String.join(" ", ClusterSpec.QUICK_JIT) + "`), except in "
                        + String.join(" and ", new java.util.TreeSet<>(ClusterSpec.FULL_JIT_SERVICES)) + ", which keep both JIT tiers and have `"
                        + String.join(" ", ClusterSpec.BULK_HEAP) + "`; plus an application class-data-sharing "
                        + "archive per jar (see local-cluster `CdsArchive`).");

        report.line("## Cold start");
        report.line("");
        report.line("From launching to every process ready and `/api/health` = 200. The first start after a build also "
                + "makes the class-data-sharing archives (once per jar); later starts reuse them.");
        report.table("Suite", "Processes", "CDS archives", "Ready after");
        for (int replicas : List.of(1, 2)) {
            deleteArchives(root);
            double first = timeStart(root, home, replicas, true);
            double warm = timeStart(root, home, replicas, true);
            double plain = timeStart(root, home, replicas, false);
            int processes = 6 * replicas + (replicas > 1 ? 2 : 1);
            report.row(replicas + " replica(s) of every service", processes + " JVMs", "made during this start", seconds(first));
            report.row(replicas + " replica(s) of every service", processes + " JVMs", "reused", seconds(warm));
            report.row(replicas + " replica(s) of every service", processes + " JVMs", "none (`--no-cds`)", seconds(plain));
        }

        List<String[]> memory = new ArrayList<>();
        LocalCluster cluster = LocalCluster.start(spec(root, home, 2, true));
        try {
            Thread.sleep(15_000); // let start-up garbage be collected and threads settle
            for (ServiceCatalog.Service service : ServiceCatalog.SERVICES) {
                for (ManagedProcess replica : cluster.replicas(service.name())) {
                    memory.add(new String[] {replica.name(), rssMegabytes(replica.pid())});
                }
            }
            for (ManagedProcess gateway : cluster.gateways()) {
                memory.add(new String[] {gateway.name(), rssMegabytes(gateway.pid())});
            }
            report.line("");
            report.line("## Resident memory at idle");
            report.line("");
            report.line("VmRSS of each JVM of the 2-replica suite, 15 s after it was ready. Serial GC and bounded heap, "
                    + "metaspace and code cache keep each replica small; the shared CDS archive is mapped, not copied.");
            report.table("Process", "RSS");
            memory.forEach(row -> report.row(row[0], row[1]));

        } finally {
            cluster.close();
        }
        gatewayOverhead(root, home, rate, seconds, report);
        report.write(root.resolve("docs/benchmarks/foundation.md"));
    }

    /**
     * Direct, through one gateway, and through nginx and the gateways, on a quiet 1-replica
     * suite (so that 13 other JVMs do not add noise), after a long warm-up, in interleaved
     * rounds; the median of the rounds' percentiles is reported.
     */
    private static void gatewayOverhead(Path root, Path home, int rate, int seconds, Report report) throws Exception {
        LocalCluster cluster = LocalCluster.start(ClusterSpec.builder(root).home(home).replicas(1).frontPort(0)
                .mongoBackend(ClusterSpec.MongoBackend.MEMORY).freshData(true)
                .environment("CAIRN_GATEWAY_RATELIMIT_POLICIES_CLIENT_LIMIT", "100000000").build());
        try {
            ManagedProcess tenant = cluster.replicas("tenant-service").get(0);
            String path = "/.well-known/jwks.json";
            Map<String, URI> paths = new LinkedHashMap<>();
            paths.put("client → service", URI.create(LocalCluster.url(tenant) + path));
            paths.put("client → gateway → service", URI.create(cluster.gatewayUrls().get(0) + path));
            if (cluster.hasNginx()) {
                paths.put("client → nginx → gateway → service", URI.create(cluster.frontUrl() + path));
            }
            Thread.sleep(10_000);
            for (URI uri : paths.values()) {
                OpenLoopLoad.run(uri, rate, Duration.ofSeconds(30));
            }
            int rounds = 5;
            Map<String, List<OpenLoopLoad.Result>> results = new LinkedHashMap<>();
            for (int round = 0; round < rounds; round++) {
                for (Map.Entry<String, URI> entry : paths.entrySet()) {
                    results.computeIfAbsent(entry.getKey(), k -> new ArrayList<>())
                            .add(OpenLoopLoad.run(entry.getValue(), rate, Duration.ofSeconds(seconds)));
                }
            }
            report.line("");
            report.line("## Gateway overhead");
            report.line("");
            report.line("`GET " + path + "` (the tenant service's key set, a few hundred bytes) at a fixed arrival rate of "
                    + rate + "/s, open loop (latency counted from when each request was due, so a stall cannot hide). "
                    + "A 1-replica suite, 30 s of warm-up per path, then " + rounds + " interleaved rounds of " + seconds
                    + " s per path; each figure is the median over the rounds. The load generator shares the two cores.");
            report.table("Path", "p50", "p90", "p99", "max", "errors");
            Map<String, double[]> medians = new LinkedHashMap<>();
            for (Map.Entry<String, List<OpenLoopLoad.Result>> entry : results.entrySet()) {
                List<OpenLoopLoad.Result> r = entry.getValue();
                double p50 = median(r.stream().mapToDouble(OpenLoopLoad.Result::p50).toArray());
                double p90 = median(r.stream().mapToDouble(OpenLoopLoad.Result::p90).toArray());
                double p99 = median(r.stream().mapToDouble(OpenLoopLoad.Result::p99).toArray());
                double max = r.stream().mapToDouble(OpenLoopLoad.Result::max).max().orElse(0);
                int errors = r.stream().mapToInt(OpenLoopLoad.Result::errors).sum();
                medians.put(entry.getKey(), new double[] {p50, p99});
                report.row(entry.getKey(), ms(p50), ms(p90), ms(p99), ms(max), errors);
            }
            double[] direct = medians.get("client → service");
            double[] gateway = medians.get("client → gateway → service");
            report.line("");
            report.line(String.format("The gateway adds %.2f ms at p50 (ratio %.2f) and %.2f ms at p99.", gateway[0] - direct[0],
                    gateway[0] / direct[0], gateway[1] - direct[1]));
            double[] front = medians.get("client → nginx → gateway → service");
            if (front != null) {
                report.line(String.format("nginx in front adds a further %.2f ms at p50 and %.2f ms at p99.", front[0] - gateway[0],
                        front[1] - gateway[1]));
            } else {
                report.line("nginx is not installed here; that path was not measured.");
            }
        } finally {
            cluster.close();
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double timeStart(Path root, Path home, int replicas, boolean cds) {
        long started = System.nanoTime();
        LocalCluster cluster = LocalCluster.start(spec(root, home, replicas, cds));
        double elapsed = (System.nanoTime() - started) / 1e9;
        cluster.close();
        return elapsed;
    }

    private static ClusterSpec spec(Path root, Path home, int replicas, boolean cds) {
        return ClusterSpec.builder(root).home(home).replicas(replicas).frontPort(0)
                .mongoBackend(ClusterSpec.MongoBackend.MEMORY).appCds(cds).freshData(true).build();
    }

    private static void deleteArchives(Path root) throws IOException {
        List<String> modules = new ArrayList<>(ServiceCatalog.SERVICES.stream().map(ServiceCatalog.Service::name).toList());
        modules.add(ServiceCatalog.GATEWAY);
        for (String module : modules) {
            Path stamp = root.resolve(module).resolve("target/cds/stamp");
            Files.deleteIfExists(stamp);
        }
    }

    private static String rssMegabytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format("%.0f MB", kb / 1024.0);
                }
            }
        } catch (IOException e) {
            return "?";
        }
        return "?";
    }

    private static String seconds(double s) {
        return String.format("%.1f s", s);
    }

    private static String ms(double value) {
        return String.format("%.2f ms", value);
    }

    private static int intOption(String[] args, String name, int fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}
