package dev.cairn.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.cairn.localcluster.ClusterSpec;
import dev.cairn.localcluster.LocalCluster;

/**
 * {@code bin/cairn faults}: starts the two-replica suite on the persistent MongoDB backend, runs
 * the fault scenarios under a mixed load, and writes the report to {@code docs/benchmarks/faults.md}
 * (with {@code faults.json} and a timeline chart per scenario). Exits 0 when every scenario passed,
 * 1 when one did not, 2 on a wrong command line.
 */
public final class FaultCampaign {

    static final String USAGE = """
            Usage: bin/cairn faults [SCENARIO ...] [options]
              Without scenarios, runs them all in order. Scenarios:
            %s
            Options:
              --list                 list the scenarios and exit
              --quick                the short phases of the test suite (3 s of load, 2 s down, 5 s after) instead of 10, 5, 15
              --mongo-backend h2|memory   the embedded MongoDB's backend (default h2, which keeps its data; memory cannot run restart-mongo)
              --out DIR              where the report goes (default docs/benchmarks)
            """;

    private FaultCampaign() {
    }

    public static void main(String[] args) {
        List<String> names = new ArrayList<>();
        boolean quick = false;
        ClusterSpec.MongoBackend backend = ClusterSpec.MongoBackend.H2;
        Path root = Path.of(System.getProperty("cairn.root", ".")).toAbsolutePath().normalize();
        Path out = root.resolve("docs/benchmarks");
        List<Scenario> scenarios;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--list", "--help", "-h" -> {
                        System.out.print(usage());
                        return;
                    }
                    case "--quick" -> quick = true;
                    case "--mongo-backend" -> backend = backend(value(args, ++i));
                    case "--out" -> out = Path.of(value(args, ++i)).toAbsolutePath();
                    default -> {
                        if (args[i].startsWith("--")) {
                            throw new IllegalArgumentException("unknown option " + args[i]);
                        }
                        names.add(args[i]);
                    }
                }
            }
            scenarios = names.isEmpty() ? Scenario.all() : Scenario.named(names);
            if (backend == ClusterSpec.MongoBackend.MEMORY && scenarios.stream().anyMatch(s -> s.name().equals("restart-mongo"))) {
                if (!names.isEmpty()) {
                    throw new IllegalArgumentException("restart-mongo needs --mongo-backend h2: the memory backend forgets every register");
                }
                scenarios = scenarios.stream().filter(s -> !s.name().equals("restart-mongo")).toList();
            }
        } catch (IllegalArgumentException e) {
            System.err.println("bin/cairn faults: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(run(root, out, scenarios, quick, backend) ? 0 : 1);
    }

    private static boolean run(Path root, Path out, List<Scenario> scenarios, boolean quick, ClusterSpec.MongoBackend backend) {
        Duration leaseTtl = Duration.ofSeconds(5); // the validators' default
        Campaign.Settings settings = quick ? Campaign.Settings.quick(leaseTtl, backend == ClusterSpec.MongoBackend.H2)
                : Campaign.Settings.full(leaseTtl, backend == ClusterSpec.MongoBackend.H2);
        Path home;
        try {
            // readable by nginx's workers, which serve the console from the run directory
            home = Files.createTempDirectory("cairn-faults", java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        System.out.println("Starting the suite: two replicas of every service, two gateways, MongoDB backend " + backend + " (home " + home + ")");
        LocalCluster cluster = LocalCluster.start(ClusterSpec.builder(root).home(home).replicas(2).gateways(2).frontPort(0)
                .mongoBackend(backend).freshData(true).readyTimeout(Duration.ofMinutes(5))
                // all of the campaign's load comes from one address and one user: the per-address and per-caller limits would refuse it
                .environment("CAIRN_GATEWAY_RATELIMIT_POLICIES_CLIENT_LIMIT", "1000000000")
                .environment("CAIRN_GATEWAY_RATELIMIT_POLICIES_CALLER_LIMIT", "1000000000").build());
        try {
            String setup = String.format("Produced by `bin/cairn faults%s` (dev.cairn.faults.FaultCampaign): the suite started by the local "
                    + "launcher with two replicas of every service and two gateways, %s in front, the embedded MongoDB server on its %s "
                    + "backend, PostgreSQL and Redis embedded, all on this one machine with the load.", quick ? " --quick" : "",
                    cluster.hasNginx() ? "nginx" : "no nginx (the load spread over the gateways)",
                    backend == ClusterSpec.MongoBackend.H2 ? "persistent (h2)" : "memory");
            List<Campaign.Outcome> outcomes = new Campaign(cluster, root, "faults@cairn.test", "fault campaign password", settings).run(scenarios);
            FaultReport.write(out, "faults", setup, settings, outcomes);
            System.out.println("Report: " + out.resolve("faults.md"));
            return outcomes.size() == scenarios.size() && outcomes.stream().allMatch(Campaign.Outcome::passed);
        } finally {
            cluster.close();
        }
    }

    static String usage() {
        StringBuilder list = new StringBuilder();
        for (Scenario scenario : Scenario.all()) {
            list.append(String.format("    %-18s %s%n", scenario.name(), scenario.description()));
        }
        return USAGE.formatted(list.toString().stripTrailing());
    }

    private static ClusterSpec.MongoBackend backend(String name) {
        return switch (name) {
            case "h2" -> ClusterSpec.MongoBackend.H2;
            case "memory" -> ClusterSpec.MongoBackend.MEMORY;
            default -> throw new IllegalArgumentException("--mongo-backend takes h2 or memory, not '" + name + "'");
        };
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }
}
