package dev.cairn.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.cairn.localcluster.ClusterSpec;
import dev.cairn.localcluster.LocalCluster;
import dev.cairn.testsupport.LedgerFixture;

import static dev.cairn.benchmarks.BenchHttp.get;
import static dev.cairn.benchmarks.BenchHttp.option;
import static dev.cairn.benchmarks.BenchHttp.post;

/**
 * Replication between two installations on this machine, on each embedded MongoDB backend:
 * catch-up (a register of {@code --transactions} transactions in dockets of {@code --per-docket},
 * written on A, then subscribed to on B: transactions and dockets verified and stored per
 * second, and the CPU each process of both installations used), and the lag of B behind A
 * while A's register grows at {@code --rate} transactions per second for {@code --seconds}
 * (from each docket's write on A to B serving it). Writes docs/benchmarks/peer.md.
 *
 * <pre>bin/cairn bench peer [--transactions 20000] [--per-docket 100] [--rate 200] [--seconds 30] [--backends memory,h2]</pre>
 */
public final class PeerBenchmark {

    private PeerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("cairn.root", ".")).toAbsolutePath().normalize();
        int transactions = option(args, "--transactions", 20_000);
        int perDocket = option(args, "--per-docket", 100);
        int rate = option(args, "--rate", 200);
        int seconds = option(args, "--seconds", 30);
        List<ClusterSpec.MongoBackend> backends = new ArrayList<>();
        for (String name : option(args, "--backends", "memory,h2").split(",")) {
            backends.add(ClusterSpec.MongoBackend.valueOf(name.strip().toUpperCase(java.util.Locale.ROOT)));
        }
        Report report = new Report("Peers: replicating a register between installations",
                "Produced by `bin/cairn bench peer` (dev.cairn.benchmarks.PeerBenchmark). Two installations on this machine (A, the "
                        + "register's home, and B), each with one replica of every service and its own embedded stores, talking "
                        + "through their gateways. Each figure is from the same run as the others of its backend. B checks every "
                        + "docket and transaction (hashes, both signatures, Merkle roots, links, sealing keys, the signed head) "
                        + "before storing it.");
        for (ClusterSpec.MongoBackend backend : backends) {
            run(root, backend, transactions, perDocket, rate, seconds, report, backend == backends.get(0));
        }
        report.write(root.resolve("docs/benchmarks/peer.md"));
    }

    private static void run(Path root, ClusterSpec.MongoBackend backend, int transactions, int perDocket, int rate, int seconds, Report report,
            boolean first) throws Exception {
        String name = backend.name().toLowerCase(java.util.Locale.ROOT);
        System.out.println("backend " + name + ": starting installations A and B ...");
        Path homeA = Files.createTempDirectory("cairn-bench-peer-a");
        Path homeB = Files.createTempDirectory("cairn-bench-peer-b");
        LocalCluster a = LocalCluster.start(spec(root, homeA, backend, null).build());
        LocalCluster b = null;
        try {
            String gatewayA = a.gatewayUrls().get(0);
            b = LocalCluster.start(spec(root, homeB, backend, gatewayA).build());
            String gatewayB = b.gatewayUrls().get(0);
            String adminA = BenchHttp.bootstrapAdmin(gatewayA);
            String adminB = BenchHttp.bootstrapAdmin(gatewayB);
            String validatorA = BenchHttp.serviceToken(gatewayA, homeA, "validator-service");
            RegisterChain chain = new RegisterChain(LocalCluster.url(a.replicas("register-service").get(0)), adminA, validatorA, new LedgerFixture());
            int dockets = transactions / perDocket;
            System.out.printf("writing %d dockets of %d transactions on A ...%n", dockets, perDocket);
            List<ObjectNode> bodies = chain.prepare(dockets, perDocket);
            for (ObjectNode body : bodies) {
                chain.store(body);
            }
            long homeHeight = dockets;
            post(gatewayA + "/api/peers/registers/" + chain.registerId + "/advertise", adminA, "");
            String nodeA = BenchHttp.field(get(gatewayA + "/api/peers/self", adminA).body(), "nodeId");
            waitUntil(() -> get(gatewayB + "/api/peers", adminB).body().contains("\"registerId\":\"" + chain.registerId + "\""), 120);

            Map<String, Long> before = cpu(a, b);
            long started = System.nanoTime();
            post(gatewayB + "/api/peers/registers/" + chain.registerId + "/subscribe", adminB, "{}");
            waitUntil(() -> height(gatewayB, adminB, chain.registerId) == homeHeight, 1800);
            double catchUp = (System.nanoTime() - started) / 1e9;
            Map<String, Long> used = ProcessCpu.between(before, cpu(a, b));
            JsonNode verified = LedgerFixture.JSON.readTree(get(gatewayB + "/api/registers/" + chain.registerId + "/verify", adminB).body());
            if (!verified.path("ok").asBoolean()) {
                throw new IllegalStateException("the replica does not verify: " + verified);
            }

            System.out.printf("catch-up: %d transactions in %.1f s; now %d tx/s on A for %d s ...%n", transactions, catchUp, rate, seconds);
            List<Long> lags = steady(chain, gatewayB, adminB, rate, Math.max(1, rate / 10), seconds);

            if (!first) {
                report.line("");
            }
            report.line("## Backend: " + name);
            report.line("");
            report.line("### Catch-up");
            report.line("");
            report.line("A's register: " + transactions + " transactions in " + dockets + " dockets of " + perDocket
                    + " (written straight through A's docket write path, signed by a sealing key the register pins), advertised by A. B "
                    + "subscribes to it (node " + nodeA.substring(0, 12) + "... is its home) and pulls batches of 100 dockets, each "
                    + "checked whole before it is stored; the time runs from the subscription until B holds A's height, and B's "
                    + "`verify` then passes.");
            report.table("Seconds", "Transactions/s", "Dockets/s");
            report.row(String.format("%.1f", catchUp), String.format("%.0f", transactions / catchUp), String.format("%.1f", dockets / catchUp));
            report.line("");
            report.line("CPU per 1,000 transactions replicated, by process of each installation, during the catch-up:");
            ProcessCpu.report(report, used, Math.max(1, transactions / 1000), "1,000 transactions");
            report.line("");
            report.line("### Lag while following");
            report.line("");
            report.line("A's register grows by " + rate + " transactions a second (a docket of " + Math.max(1, rate / 10)
                    + " every 100 ms) for " + seconds + " s; B follows with long polls. Lag: from a docket's write on A to B "
                    + "answering with its height (B polled every 20 ms).");
            Collections.sort(lags);
            report.table("Dockets", "p50", "p95", "max");
            report.row(lags.size(), ms(lags, 0.50), ms(lags, 0.95), ms(lags, 1.0));
        } finally {
            if (b != null) {
                b.close();
            }
            a.close();
        }
    }

    /** Writes dockets at the rate and measures, for each, when B serves its height; the lags in nanoseconds. */
    private static List<Long> steady(RegisterChain chain, String gatewayB, String adminB, int rate, int perDocket, int seconds) throws Exception {
        int count = seconds * rate / perDocket;
        List<ObjectNode> bodies = chain.prepare(count, perDocket);
        Map<Long, Long> writtenAt = new ConcurrentHashMap<>();
        Map<Long, Long> seenAt = new ConcurrentHashMap<>();
        AtomicBoolean done = new AtomicBoolean();
        Thread poller = new Thread(() -> {
            long seen = -1;
            while (!done.get() || seen < maxKey(writtenAt)) {
                try {
                    long h = height(gatewayB, adminB, chain.registerId);
                    long now = System.nanoTime();
                    for (long k = seen + 1; k <= h; k++) {
                        seenAt.putIfAbsent(k, now);
                    }
                    seen = Math.max(seen, h);
                    Thread.sleep(20);
                } catch (Exception e) {
                    return;
                }
            }
        }, "lag-poller");
        poller.start();
        long interval = 1_000_000_000L * perDocket / rate;
        long start = System.nanoTime();
        for (int i = 0; i < bodies.size(); i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            ObjectNode body = bodies.get(i);
            chain.store(body);
            writtenAt.put(body.path("docket").path("height").asLong(body.path("height").asLong()), System.nanoTime());
        }
        done.set(true);
        poller.join(120_000);
        List<Long> lags = new ArrayList<>();
        writtenAt.forEach((height, at) -> {
            Long seen = seenAt.get(height);
            if (seen != null) {
                lags.add(Math.max(0, seen - at));
            }
        });
        return lags;
    }

    private static long maxKey(Map<Long, Long> map) {
        return map.keySet().stream().mapToLong(Long::longValue).max().orElse(-1);
    }

    private static long height(String gateway, String token, String registerId) throws Exception {
        return LedgerFixture.JSON.readTree(get(gateway + "/api/registers/" + registerId, token).body()).path("height").asLong(-1);
    }

    private static Map<String, Long> cpu(LocalCluster a, LocalCluster b) {
        Map<String, Long> both = new LinkedHashMap<>();
        ProcessCpu.snapshot(a).forEach((role, ms) -> both.put(role.equals("benchmark client") ? role : "A " + role, ms));
        ProcessCpu.snapshot(b).forEach((role, ms) -> {
            if (!role.equals("benchmark client")) {
                both.put("B " + role, ms);
            }
        });
        return both;
    }

    private static ClusterSpec.Builder spec(Path root, Path home, ClusterSpec.MongoBackend backend, String seed) {
        ClusterSpec.Builder spec = ClusterSpec.builder(root).home(home).replicas(1).gateways(1).nginx(ClusterSpec.NginxMode.OFF).frontPort(0)
                .mongoBackend(backend).freshData(true).environment("CAIRN_PEER_EXCHANGEINTERVAL", "1s")
                .environment("CAIRN_GATEWAY_RATELIMIT_POLICIES_CLIENT_LIMIT", "10000000")
                .environment("CAIRN_GATEWAY_RATELIMIT_POLICIES_CALLER_LIMIT", "10000000")
                .environment("CAIRN_GATEWAY_RATELIMIT_POLICIES_PEER_LIMIT", "10000000")
                .environment("CAIRN_PEER_REQUESTSPERSECOND", "100000");
        if (seed != null) {
            spec.environment("CAIRN_PEER_SEEDS", seed);
        }
        return spec;
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void waitUntil(Check check, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not within " + seconds + " s");
            }
            Thread.sleep(50);
        }
    }

    private static String ms(List<Long> sorted, double quantile) {
        if (sorted.isEmpty()) {
            return "-";
        }
        int index = (int) Math.min(sorted.size() - 1, Math.ceil(quantile * sorted.size()) - 1);
        return String.format("%.0f ms", sorted.get(Math.max(0, index)) / 1e6);
    }
}
