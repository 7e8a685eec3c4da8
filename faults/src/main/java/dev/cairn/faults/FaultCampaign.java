package dev.cairn.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.cairn.localcluster.ClusterSpec;
import dev.cairn.localcluster.LocalCluster;
import dev.cairn.localcluster.control.ControlClient;
import dev.cairn.localcluster.control.ProcessControl;

/**
 * {@code bin/cairn faults}: starts the two-replica suite on the persistent MongoDB backend (or
 * attaches to the one {@code bin/cairn up} runs), runs the fault scenarios under a mixed load, and
 * writes the report to {@code docs/benchmarks/faults.md} (with {@code faults.json} and a timeline
 * chart per scenario). Exits 0 when every scenario passed, 1 when one did not, 2 on a wrong
 * command line.
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
              --attach               use the suite that bin/cairn up runs from CAIRN_HOME instead of starting one: the campaign
                                     signs in as CAIRN_ADMIN_EMAIL with CAIRN_ADMIN_PASSWORD (bootstrapping a new installation
                                     with them), and the suite's rate limits must let its load through (see docs/faults.md)
              --lease-ttl SECONDS    the validators' lease of an attached suite (cairn.validator.lease.ttl; default 5)
              --out DIR              where the report goes (default docs/benchmarks)
            """;

    private static final String ADMIN_EMAIL = "faults@cairn.test";
    private static final String ADMIN_PASSWORD = "fault campaign password";

    private FaultCampaign() {
    }

    public static void main(String[] args) {
        List<String> names = new ArrayList<>();
        boolean quick = false;
        boolean attach = false;
        Duration leaseTtl = Duration.ofSeconds(5); // the validators' default
        ClusterSpec.MongoBackend backend = ClusterSpec.MongoBackend.H2;
        Path root = Path.of(System.getProperty("cairn.root", ".")).toAbsolutePath().normalize();
        Path out = root.resolve("docs/benchmarks");
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--list", "--help", "-h" -> {
                        System.out.print(usage());
                        return;
                    }
                    case "--quick" -> quick = true;
                    case "--attach" -> attach = true;
                    case "--lease-ttl" -> leaseTtl = Duration.ofSeconds(seconds(value(args, ++i)));
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
            List<Scenario> scenarios = names.isEmpty() ? Scenario.all() : Scenario.named(names);
            if (!attach) {
                System.exit(run(root, out, scenarios, names.isEmpty(), quick, leaseTtl, backend) ? 0 : 1);
                return;
            }
            ProcessControl suite = ControlClient.attach(Path.of(Optional.ofNullable(System.getenv("CAIRN_HOME")).orElse(root.resolve(".cairn").toString())));
            String email = environment("CAIRN_ADMIN_EMAIL");
            String password = environment("CAIRN_ADMIN_PASSWORD");
            String mongo = Optional.ofNullable(suite.state().mongoBackend()).orElse("unknown");
            Campaign.Settings settings = settings(quick, leaseTtl, "h2".equals(mongo));
            String setup = String.format("Produced by `bin/cairn faults --attach%s` (dev.cairn.faults.FaultCampaign) on a running suite at %s "
                    + "(the embedded MongoDB server's backend: %s), on this one machine with the load.", quick ? " --quick" : "",
                    suite.state().frontUrl(), mongo);
            System.out.println("Attached to the suite at " + suite.state().frontUrl());
            System.exit(campaign(suite, root, out, setup, applicable(scenarios, names.isEmpty(), settings), email, password, settings) ? 0 : 1);
        } catch (IllegalArgumentException e) {
            System.err.println("bin/cairn faults: " + e.getMessage());
            System.exit(2);
        } catch (IllegalStateException | java.io.UncheckedIOException e) {
            System.err.println("bin/cairn faults: " + e.getMessage());
            System.exit(1);
        }
    }

    private static boolean run(Path root, Path out, List<Scenario> scenarios, boolean all, boolean quick, Duration leaseTtl,
            ClusterSpec.MongoBackend backend) {
        Campaign.Settings settings = settings(quick, leaseTtl, backend == ClusterSpec.MongoBackend.H2);
        scenarios = applicable(scenarios, all, settings);
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
            return campaign(cluster, root, out, setup, scenarios, ADMIN_EMAIL, ADMIN_PASSWORD, settings);
        } finally {
            cluster.close();
        }
    }

    private static boolean campaign(ProcessControl suite, Path root, Path out, String setup, List<Scenario> scenarios, String email,
            String password, Campaign.Settings settings) {
        List<Campaign.Outcome> outcomes = new Campaign(suite, root, email, password, settings).run(scenarios);
        FaultReport.write(out, "faults", setup, settings, outcomes);
        System.out.println("Report: " + out.resolve("faults.md"));
        return outcomes.size() == scenarios.size() && outcomes.stream().allMatch(Campaign.Outcome::passed);
    }

    private static Campaign.Settings settings(boolean quick, Duration leaseTtl, boolean mongoKeepsData) {
        return quick ? Campaign.Settings.quick(leaseTtl, mongoKeepsData) : Campaign.Settings.full(leaseTtl, mongoKeepsData);
    }

    /**
     * Without the persistent MongoDB backend, restart-mongo would only show the memory backend
     * forgetting every register: left out of a whole campaign, refused when named.
     */
    private static List<Scenario> applicable(List<Scenario> scenarios, boolean all, Campaign.Settings settings) {
        if (settings.mongoKeepsData() || scenarios.stream().noneMatch(s -> s.name().equals("restart-mongo"))) {
            return scenarios;
        }
        if (!all) {
            throw new IllegalArgumentException("restart-mongo needs the embedded MongoDB's persistent backend (h2): the memory backend "
                    + "forgets every register");
        }
        return scenarios.stream().filter(s -> !s.name().equals("restart-mongo")).toList();
    }

    private static String environment(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--attach signs in with CAIRN_ADMIN_EMAIL and CAIRN_ADMIN_PASSWORD: " + name + " is not set");
        }
        return value;
    }

    private static long seconds(String value) {
        try {
            long seconds = Long.parseLong(value);
            if (seconds > 0) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException("--lease-ttl takes a whole number of seconds, not '" + value + "'");
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
