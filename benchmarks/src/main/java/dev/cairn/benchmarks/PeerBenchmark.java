package dev.cairn.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * <pre>bin/cairn bench peer [--transactions 40000] [--per-docket 100] [--warm-ups 4] [--rate 200] [--seconds 30] [--backends memory,h2]
 *     [--profile] [--jvm-options "FLAGS"]</pre>
 *
 * Before the measured catch-up, {@code --warm-ups} registers of the same size are replicated
 * the same way, so that the JVMs have compiled the replication path. Four, because much of that
 * path runs once a docket (400 times a register): after two warm-ups the JIT compilers took 39 %
 * of the measured pass's CPU, after four 21 % (memory backend, 7 December 2026).
 * {@code --profile} records the measured pass of the busiest processes with the flight recorder;
 * {@code --jvm-options} adds JVM flags to every service replica (to try a flag's effect).
 */
public final class PeerBenchmark {

    private PeerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("cairn.root", ".")).toAbsolutePath().normalize();
        int transactions = option(args, "--transactions", 40_000);
        int perDocket = option(args, "--per-docket", 100);
        int rate = option(args, "--rate", 200);
        int seconds = option(args, "--seconds", 30);
        int warmUps = Math.max(1, option(args, "--warm-ups", 4));
        boolean profile = List.of(args).contains("--profile");
        List<String> jvmOptions = BenchHttp.jvmOptions(args);
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
            run(root, backend, transactions, perDocket, rate, seconds, warmUps, profile, jvmOptions, report, backend == backends.get(0));
        }
        report.write(root.resolve("docs/benchmarks/peer.md"));
    }

    private static void run(Path root, ClusterSpec.MongoBackend backend, int transactions, int perDocket, int rate, int seconds, int warmUps,
            boolean profile, List<String> jvmOptions, Report report, boolean first) throws Exception {
        String name = backend.name().toLowerCase(java.util.Locale.ROOT);
        System.out.println("backend " + name + ": starting installations A and B ...");
        Path homeA = Files.createTempDirectory("cairn-bench-peer-a");
        Path homeB = Files.createTempDirectory("cairn-bench-peer-b");
        LocalCluster a = LocalCluster.start(spec(root, homeA, backend, null, jvmOptions).build());
        LocalCluster b = null;
        try {
            String gatewayA = a.gatewayUrls().get(0);
            b = LocalCluster.start(spec(root, homeB, backend, gatewayA, jvmOptions).build());
            String gatewayB = b.gatewayUrls().get(0);
            String adminA = BenchHttp.bootstrapAdmin(gatewayA);
            String adminB = BenchHttp.bootstrapAdmin(gatewayB);
            String validatorA = BenchHttp.serviceToken(gatewayA, homeA, "validator-service");
            String registerA = LocalCluster.url(a.replicas("register-service").get(0));
            LedgerFixture fixture = new LedgerFixture();
            int dockets = transactions / perDocket;
            System.out.printf("writing %d registers on A, each of %d dockets of %d transactions ...%n", warmUps + 1, dockets, perDocket);
            List<RegisterChain> warm = new ArrayList<>();
            for (int i = 0; i < warmUps; i++) {
                warm.add(new RegisterChain(registerA, adminA, validatorA, fixture));
                write(warm.get(i), dockets, perDocket);
            }
            RegisterChain chain = new RegisterChain(registerA, adminA, validatorA, fixture);
            write(chain, dockets, perDocket);
            for (RegisterChain register : warm) {
                advertise(register, gatewayA, adminA, gatewayB, adminB);
            }
            String nodeA = advertise(chain, gatewayA, adminA, gatewayB, adminB);

            // the warm-up passes compile the replication path (sixteen JVMs share two cores: that takes a while);
            // each pass starts once the compilers are quiet again
            System.out.printf("the JIT compilers settled after %.0f s%n", ProcessCpu.awaitCompiled(0.1, Duration.ofSeconds(5), Duration.ofMinutes(5), a, b));
            List<Pass> warmPasses = new ArrayList<>();
            for (RegisterChain register : warm) {
                Pass warmPass = catchUp(register, dockets, perDocket, a, b, gatewayB, adminB);
                warmPasses.add(warmPass);
                System.out.printf("warm-up %d: %s; the JIT compilers settled after %.0f s%n", warmPasses.size(), warmPass,
                        ProcessCpu.awaitCompiled(0.1, Duration.ofSeconds(5), Duration.ofMinutes(5), a, b));
            }
            List<Profile> recording = new ArrayList<>();
            if (profile) {
                Path profiles = Files.createTempDirectory("cairn-bench-profile");
                System.out.println("flight recordings of the measured pass: " + profiles);
                recording.addAll(Profile.start("B", b, profiles, "register-service", "peer-service", "mongo"));
                recording.addAll(Profile.start("A", a, profiles, "register-service", "peer-service"));
            }
            Pass measured = catchUp(chain, dockets, perDocket, a, b, gatewayB, adminB);
            List<String> profileLines = new ArrayList<>();
            for (Profile recorded : recording) {
                profileLines.add(recorded.summary());
            }
            double catchUp = measured.seconds();

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
                    + "`verify` then passes. Before it, " + (warmUps == 1 ? "a register" : warmUps + " registers") + " of the same size "
                    + (warmUps == 1 ? "was" : "were") + " replicated the same way (the warm-up: the JVMs compile the replication path "
                    + "then, sixteen JVMs sharing two cores), and the benchmark waited each time until the JIT compilers of all the JVMs "
                    + "had settled (below a tenth of a core for 5 s).");
            report.table("Pass", "Transactions", "Seconds", "Transactions/s", "Dockets/s", "JIT compilers' share of all CPU");
            for (int i = 0; i < warmPasses.size(); i++) {
                warmPasses.get(i).row(report, warmPasses.size() == 1 ? "warm-up" : "warm-up " + (i + 1));
            }
            measured.row(report, "**measured**");
            report.line("");
            report.line("CPU per 1,000 transactions replicated in the measured pass, by process of each installation:");
            ProcessCpu.report(report, measured.used(), Math.max(1, transactions / 1000), "1,000 transactions");
            report.line("");
            if (!profileLines.isEmpty()) {
                report.line("Where the busiest processes spent the measured pass (flight recordings, started for it: starting one makes "
                        + "the JVM compile much of its code again, so these runs' figures are lower; the classes on top of the stack "
                        + "most often):");
                report.line("");
                profileLines.forEach(report::line);
                report.line("");
            }
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

    /** One catch-up: B subscribes to A's register and holds all of it; what it took, and the CPU of every process meanwhile. */
    record Pass(long transactions, long dockets, double seconds, Map<String, Long> used, long compiling) {

        void row(Report report, String name) {
            report.row(name, transactions, String.format("%.1f", seconds), String.format("%.0f", transactions / seconds),
                    String.format("%.1f", dockets / seconds), ProcessCpu.compilerShare(compiling, used));
        }

        @Override
        public String toString() {
            return String.format("%d transactions in %.1f s (%.0f/s)", transactions, seconds, transactions / seconds);
        }
    }

    private static Pass catchUp(RegisterChain chain, int dockets, int perDocket, LocalCluster a, LocalCluster b, String gatewayB, String adminB)
            throws Exception {
        Map<String, Long> before = cpu(a, b);
        long compiling = ProcessCpu.compilerMillis(a, b);
        long started = System.nanoTime();
        post(gatewayB + "/api/peers/registers/" + chain.registerId + "/subscribe", adminB, "{}");
        waitUntil(() -> height(gatewayB, adminB, chain.registerId) == dockets, 1800);
        double seconds = (System.nanoTime() - started) / 1e9;
        Map<String, Long> used = ProcessCpu.between(before, cpu(a, b));
        JsonNode verified = LedgerFixture.JSON.readTree(get(gatewayB + "/api/registers/" + chain.registerId + "/verify", adminB).body());
        if (!verified.path("ok").asBoolean()) {
            throw new IllegalStateException("the replica does not verify: " + verified);
        }
        return new Pass((long) dockets * perDocket, dockets, seconds, used, ProcessCpu.compilerMillis(a, b) - compiling);
    }

    private static void write(RegisterChain chain, int dockets, int perDocket) throws Exception {
        for (ObjectNode body : chain.prepare(dockets, perDocket)) {
            chain.store(body);
        }
    }

    /** Advertises A's register and waits until B has heard of it; A's NodeId. */
    private static String advertise(RegisterChain chain, String gatewayA, String adminA, String gatewayB, String adminB) throws Exception {
        post(gatewayA + "/api/peers/registers/" + chain.registerId + "/advertise", adminA, "");
        waitUntil(() -> get(gatewayB + "/api/peers", adminB).body().contains("\"registerId\":\"" + chain.registerId + "\""), 120);
        return BenchHttp.field(get(gatewayA + "/api/peers/self", adminA).body(), "nodeId");
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

    private static ClusterSpec.Builder spec(Path root, Path home, ClusterSpec.MongoBackend backend, String seed, List<String> jvm) {
        ClusterSpec.Builder spec = ClusterSpec.builder(root).jvmOptions(jvm).home(home).replicas(1).gateways(1).nginx(ClusterSpec.NginxMode.OFF).frontPort(0)
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
            Thread.sleep(200); // the polls go through B's gateway and register service: few, so as not to load them
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
