package dev.cairn.localcluster;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.cairn.localcluster.control.ControlClient;
import dev.cairn.localcluster.control.ProcessControl;
import dev.cairn.localcluster.process.JavaCommand;

/**
 * {@code bin/cairn}: up, down and status of the local cluster. See {@link #USAGE}.
 */
public final class CairnCli {

    static final String USAGE = """
            Usage: bin/cairn <command> [options]

              up       build what is missing, start the suite, print its URL
                 --replicas N                 replicas of every service (default 1)
                 --replicas-of SERVICE=N      replicas of one service (repeatable; 0 leaves it out, but not tenant-service)
                 --gateways N                 gateway replicas (default 2 when N > 1, else 1)
                 --port P                     front port (default 8080; 0 = any free port)
                 --nginx auto|on|off          nginx in front (default: when installed)
                 --mongo-backend h2|memory    embedded MongoDB keeps data in a file (h2) or in memory
                 --mongo-uri URI              use this MongoDB instead of the embedded one
                 --redis-uri URI              use this Redis instead of the embedded one
                 --postgres-url JDBC_URL      use this PostgreSQL (jdbc:postgresql://host:port)
                 --postgres-user U --postgres-password P
                 --fresh                      wipe stored data first
                 --json-logs                  structured (ECS JSON) logs
                 --no-cds                     do not use class-data-sharing archives
                 --full-jit                   both JIT tiers in every JVM (default: C1 only, but register and peer)
                 --env NAME=VALUE             an environment variable for every service and gateway (repeatable)
                 --build                      rebuild even when the jars exist
                 --detach                     return once ready; stop later with 'bin/cairn down'
              down     stop a running suite and everything it started
              kill|stop|start|pause|resume PROCESS ...
                       SIGKILL, stop gracefully, start again (and wait until ready), SIGSTOP or
                       SIGCONT processes of the running suite, named as status lists them
              status   list every process with its port, pid and readiness
              setup    install nginx (apt-get), so that 'up' puts it in front
                 --test                       also Debian's chromium and chromium-driver, for the console's browser tests
              bench NAME [options]
                       run a benchmark (foundation, wallet, register, validator, workflow, ledger,
                       peer); it writes its figures to docs/benchmarks/NAME.md (NAME --help for options)
              faults [SCENARIO ...] [--quick]
                       kill, pause and restart every kind of process under a mixed load and check
                       that nothing acknowledged was lost; report to docs/benchmarks/faults.md
                       (--list for the scenarios)
              verify-export FILE.jsonl [--genesis HASH] [--keys FILE]
                       check a register export offline (GET /api/registers/{id}/export); without
                       --genesis or --keys it prints the genesis and keys it trusted
              monitor URL REGISTER_ID --state FILE [--genesis HASH] [--keys FILE]
                       check the register's signed tree head against the one saved in FILE
                       (consistency proof), then save it; the token in CAIRN_TOKEN
            """;

    private CairnCli() {
    }

    public static void main(String[] args) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
            System.out.print(USAGE);
            return;
        }
        Path root = Path.of(System.getProperty("cairn.root", ".")).toAbsolutePath().normalize();
        Path home = Path.of(Optional.ofNullable(System.getenv("CAIRN_HOME")).orElse(root.resolve(".cairn").toString()));
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        try {
            int code = switch (args[0]) {
                case "up" -> up(root, home, rest);
                case "down" -> down(home);
                case "status" -> status(home);
                case "kill", "stop", "start", "pause", "resume" -> control(home, ProcessControl.Verb.parse(args[0]), rest);
                default -> {
                    System.err.print("Unknown command '" + args[0] + "'\n\n" + USAGE);
                    yield 2;
                }
            };
            System.exit(code);
        } catch (IllegalArgumentException e) {
            System.err.println("bin/cairn: " + e.getMessage());
            System.exit(2);
        } catch (RuntimeException e) {
            System.err.println("bin/cairn: " + e.getMessage());
            System.exit(1);
        }
    }

    private static int up(Path root, Path home, List<String> args) {
        ClusterSpec.Builder builder = ClusterSpec.builder(root).home(home);
        boolean detach = false;
        List<String> forwarded = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--replicas" -> builder.replicas(intValue(arg, value(args, ++i, arg)));
                case "--replicas-of" -> {
                    String spec = value(args, ++i, arg);
                    int eq = spec.indexOf('=');
                    if (eq < 1) {
                        throw new IllegalArgumentException("--replicas-of takes SERVICE=N, got '" + spec + "'");
                    }
                    builder.replicasOf(spec.substring(0, eq), intValue(arg, spec.substring(eq + 1)));
                }
                case "--gateways" -> builder.gateways(intValue(arg, value(args, ++i, arg)));
                case "--port" -> builder.frontPort(intValue(arg, value(args, ++i, arg)));
                case "--nginx" -> builder.nginx(enumValue(ClusterSpec.NginxMode.class, arg, value(args, ++i, arg)));
                case "--mongo-backend" -> builder.mongoBackend(enumValue(ClusterSpec.MongoBackend.class, arg, value(args, ++i, arg)));
                case "--mongo-uri" -> builder.externalMongo(value(args, ++i, arg));
                case "--redis-uri" -> builder.externalRedis(value(args, ++i, arg));
                case "--postgres-url" -> builder.externalPostgres(value(args, ++i, arg),
                        Optional.ofNullable(System.getenv("CAIRN_POSTGRES_USER")).orElse("cairn"),
                        System.getenv("CAIRN_POSTGRES_PASSWORD"));
                case "--postgres-user", "--postgres-password" -> value(args, ++i, arg); // applied below
                case "--fresh" -> builder.freshData(true);
                case "--json-logs" -> builder.jsonLogs(true);
                case "--no-cds" -> builder.appCds(false);
                case "--full-jit" -> builder.quickJit(false);
                case "--env" -> {
                    String assignment = value(args, ++i, arg);
                    int eq = assignment.indexOf('=');
                    if (eq < 1) {
                        throw new IllegalArgumentException("--env takes NAME=VALUE, got '" + assignment + "'");
                    }
                    builder.environment(assignment.substring(0, eq), assignment.substring(eq + 1));
                }
                case "--build" -> {
                    // handled by bin/cairn before Java starts
                }
                case "--detach" -> detach = true;
                default -> throw new IllegalArgumentException("unknown option " + arg + "\n\n" + USAGE);
            }
            if (!arg.equals("--detach")) {
                forwarded.add(arg);
                if (takesValue(arg)) {
                    forwarded.add(args.get(i));
                }
            }
        }
        applyPostgresCredentials(builder, args);
        ClusterSpec spec = builder.build();

        Optional<ClusterState> existing = ClusterState.read(home);
        if (existing.isPresent() && existing.get().launcherAlive()) {
            throw new IllegalStateException("Cairn is already running at " + existing.get().frontUrl()
                    + " (launcher pid " + existing.get().launcherPid() + "); stop it with bin/cairn down");
        }
        existing.ifPresent(stale -> {
            System.out.println("Cleaning up processes left by an earlier run that did not stop cleanly");
            reap(stale);
            ClusterState.delete(home);
        });

        if (detach) {
            return detach(root, home, forwarded);
        }
        stopOnInterrupt();
        System.out.println("Starting Cairn (logs in " + home.resolve("runs") + ") ...");
        long started = System.nanoTime();
        LocalCluster cluster = LocalCluster.start(spec);
        System.out.printf("All processes ready in %.1f s; logs in %s%n", (System.nanoTime() - started) / 1e9,
                cluster.runDirectory().resolve("logs"));
        System.out.println("Cairn is ready at " + cluster.frontUrl());
        System.out.println("Press Ctrl-C to stop (or run bin/cairn down from another shell).");
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /**
     * Ctrl-C stops the suite even when this JVM was started with SIGINT ignored (as background
     * jobs of non-interactive shells are): exiting runs the shutdown hook that stops every process.
     */
    @SuppressWarnings("removal")
    private static void stopOnInterrupt() {
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> new Thread(() -> System.exit(130), "cairn-interrupt").start());
    }

    private static void applyPostgresCredentials(ClusterSpec.Builder builder, List<String> args) {
        int url = args.indexOf("--postgres-url");
        if (url < 0) {
            return;
        }
        int user = args.indexOf("--postgres-user");
        int password = args.indexOf("--postgres-password");
        builder.externalPostgres(args.get(url + 1),
                user >= 0 ? value(args, user + 1, "--postgres-user") : Optional.ofNullable(System.getenv("CAIRN_POSTGRES_USER")).orElse("cairn"),
                password >= 0 ? value(args, password + 1, "--postgres-password") : System.getenv("CAIRN_POSTGRES_PASSWORD"));
    }

    /** Runs the launcher in its own session, waits until it reports ready or failed, and returns. */
    private static int detach(Path root, Path home, List<String> args) {
        try {
            Files.createDirectories(home);
            Path log = home.resolve("launcher.log");
            List<String> command = new ArrayList<>();
            if (new File("/usr/bin/setsid").canExecute() || new File("/bin/setsid").canExecute()) {
                command.add("setsid");
            }
            List<String> cliArgs = new ArrayList<>(List.of("up"));
            cliArgs.addAll(args);
            command.addAll(JavaCommand.mainClass(List.of("-Xmx256m", "-Dcairn.root=" + root), CairnCli.class, cliArgs));
            Process launcher = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            System.out.println("Starting Cairn in the background (launcher log: " + log + ") ...");
            while (true) {
                if (!launcher.isAlive()) {
                    System.err.println("The launcher exited with code " + launcher.exitValue() + ":\n" + Files.readString(log));
                    return 1;
                }
                Optional<ClusterState> state = ClusterState.read(home).filter(s -> s.launcherPid() == launcher.pid());
                if (state.isPresent() && ClusterState.READY.equals(state.get().status())) {
                    System.out.println("Cairn is ready at " + state.get().frontUrl());
                    System.out.println("Stop it with bin/cairn down; bin/cairn status lists its processes.");
                    return 0;
                }
                if (state.isPresent() && ClusterState.FAILED.equals(state.get().status())) {
                    launcher.waitFor(60, TimeUnit.SECONDS);
                    System.err.println("Cairn failed to start:\n" + Files.readString(log));
                    return 1;
                }
                Thread.sleep(250);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the launcher: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static int down(Path home) {
        Optional<ClusterState> state = ClusterState.read(home);
        if (state.isEmpty()) {
            System.out.println("Cairn is not running");
            return 0;
        }
        ClusterState s = state.get();
        ProcessHandle.of(s.launcherPid()).filter(ProcessHandle::isAlive).ifPresent(launcher -> {
            System.out.println("Stopping Cairn (launcher pid " + launcher.pid() + ") ...");
            launcher.destroy();
            try {
                launcher.onExit().get(90, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.out.println("The launcher did not stop in time; killing what is left");
            }
        });
        int reaped = reap(s);
        if (reaped > 0) {
            System.out.println("Killed " + reaped + " process(es) left behind");
        }
        ClusterState.delete(home);
        System.out.println("Cairn stopped");
        return 0;
    }

    /** Stops every recorded process that is still the one the launcher started. */
    private static int reap(ClusterState state) {
        int count = 0;
        for (ClusterState.Entry entry : state.processes()) {
            Optional<ProcessHandle> live = ClusterState.live(entry);
            if (live.isPresent()) {
                ProcessHandle handle = live.get();
                handle.destroy();
                try {
                    handle.onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    handle.destroyForcibly();
                }
                count++;
            }
        }
        return count;
    }

    private static int status(Path home) {
        Optional<ClusterState> state = ClusterState.read(home);
        if (state.isEmpty()) {
            System.out.println("Cairn is not running");
            return 3;
        }
        ClusterState s = state.get();
        boolean launcher = s.launcherAlive();
        System.out.printf("Cairn %s at %s (launcher pid %d%s)%n", s.status(), s.frontUrl(), s.launcherPid(),
                launcher ? "" : ", not running");
        System.out.printf("%-22s %-18s %6s %8s  %s%n", "PROCESS", "ROLE", "PORT", "PID", "STATE");
        boolean allReady = launcher;
        for (ClusterState.Entry entry : s.processes()) {
            String readiness;
            if (ClusterState.live(entry).isEmpty()) {
                readiness = "stopped";
                allReady = false;
            } else if (entry.readiness() == null) {
                readiness = "running";
            } else {
                boolean ready = entry.ready();
                readiness = ready ? "ready" : "not ready";
                allReady &= ready;
            }
            System.out.printf("%-22s %-18s %6s %8d  %s%n", entry.name(), entry.role(), entry.port() > 0 ? entry.port() : "-",
                    entry.pid(), readiness);
        }
        System.out.println("Logs: " + Path.of(s.runDirectory()).resolve("logs"));
        return allReady ? 0 : 1;
    }

    /** Asks the running launcher to do {@code verb} to each named process, in turn. */
    private static int control(Path home, ProcessControl.Verb verb, List<String> processes) {
        if (processes.isEmpty()) {
            throw new IllegalArgumentException(verb.verb() + " needs the name of a process, as bin/cairn status lists it");
        }
        ControlClient client = ControlClient.attach(home);
        for (String process : processes) {
            client.act(verb, process);
            System.out.println(switch (verb) {
                case KILL -> "Killed ";
                case STOP -> "Stopped ";
                case START -> "Started (and ready) ";
                case PAUSE -> "Paused ";
                case RESUME -> "Resumed ";
            } + process);
        }
        return 0;
    }

    private static boolean takesValue(String option) {
        return switch (option) {
            case "--replicas", "--replicas-of", "--gateways", "--port", "--nginx", "--mongo-backend", "--mongo-uri", "--env",
                    "--redis-uri", "--postgres-url", "--postgres-user", "--postgres-password" -> true;
            default -> false;
        };
    }

    private static String value(List<String> args, int index, String option) {
        if (index >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(index);
    }

    private static int intValue(String option, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a number, got '" + value + "'");
        }
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String option, String value) {
        try {
            return Enum.valueOf(type, value.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " takes one of " + Arrays.toString(type.getEnumConstants()).toLowerCase()
                    + ", got '" + value + "'");
        }
    }
}
