package dev.cairn.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
        int rate = intOption(args, "--rate", 300);
        int seconds = intOption(args, "--seconds", 20);
        Path home = Files.createTempDirectory("cairn-bench");

        Report report = new Report("Foundation: start-up, memory, gateway overhead",
                "Produced by `bin/cairn bench foundation` (dev.cairn.benchmarks.FoundationBenchmark). Embedded stores "
                        + "(MongoDB wire server, memory backend; PostgreSQL; Redis). JVM flags of every replica: `"
                        + String.join(" ", ClusterSpec.DEFAULT_JVM_OPTIONS) + "`, plus an application class-data-sharing "
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

            ManagedProcess wallet = cluster.replicas("wallet-service").get(0);
            URI direct = URI.create(LocalCluster.url(wallet) + "/v3/api-docs");
            // Pin the gateway comparison to one replica's work: warm every path first.
            URI viaGateway = URI.create(cluster.gatewayUrls().get(0) + "/api/docs/wallet-service");
            URI viaFront = URI.create(cluster.frontUrl() + "/api/docs/wallet-service");
            for (URI uri : List.of(direct, viaGateway, viaFront)) {
                OpenLoopLoad.run(uri, rate, Duration.ofSeconds(5));
            }
            OpenLoopLoad.Result d = OpenLoopLoad.run(direct, rate, Duration.ofSeconds(seconds));
            OpenLoopLoad.Result g = OpenLoopLoad.run(viaGateway, rate, Duration.ofSeconds(seconds));
            OpenLoopLoad.Result f = cluster.hasNginx() ? OpenLoopLoad.run(viaFront, rate, Duration.ofSeconds(seconds)) : null;

            report.line("");
            report.line("## Gateway overhead");
            report.line("");
            report.line("The same request (a service's OpenAPI document, about 1 KB, cached by the service) at a fixed "
                    + "arrival rate of " + rate + "/s for " + seconds + " s each, open loop (latency counted from when each "
                    + "request was due), one after the other in the same run. The gateway balances over both wallet "
                    + "replicas; the direct path hits one.");
            report.table("Path", "p50", "p90", "p99", "max", "errors");
            report.row("client → service", ms(d.p50()), ms(d.p90()), ms(d.p99()), ms(d.max()), d.errors());
            report.row("client → gateway → service", ms(g.p50()), ms(g.p90()), ms(g.p99()), ms(g.max()), g.errors());
            if (f != null) {
                report.row("client → nginx → gateway → service", ms(f.p50()), ms(f.p90()), ms(f.p99()), ms(f.max()), f.errors());
            }
            report.line("");
            report.line(String.format("Gateway adds %.2f ms at p50 (ratio %.2f) and %.2f ms at p99.", g.p50() - d.p50(),
                    g.p50() / d.p50(), g.p99() - d.p99()));
            if (f != null) {
                report.line(String.format("nginx in front adds a further %.2f ms at p50 and %.2f ms at p99.", f.p50() - g.p50(),
                        f.p99() - g.p99()));
            } else {
                report.line("nginx is not installed on this machine; the nginx path was not measured.");
            }
        } finally {
            cluster.close();
        }
        report.write(root.resolve("docs/benchmarks/foundation.md"));
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
