package dev.cairn.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.cairn.localcluster.LocalCluster;
import dev.cairn.localcluster.ServiceCatalog;
import dev.cairn.localcluster.process.ManagedProcess;

/**
 * CPU time of every process of a local cluster, read from {@code /proc/<pid>/stat} (user and
 * system time, with that of reaped children), grouped by role: each service's replicas together,
 * the gateways, the embedded MongoDB server, Redis, PostgreSQL (the server and its backends) and
 * the benchmark's own client. A whole-machine view: a cost shows up where it really is.
 */
final class ProcessCpu {

    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private ProcessCpu() {
    }

    /** CPU milliseconds used so far, by role, in a stable order. */
    static Map<String, Long> snapshot(LocalCluster cluster) {
        Map<String, Long> byRole = new LinkedHashMap<>();
        for (ManagedProcess store : cluster.stores().processes()) {
            byRole.merge(store.role(), millis(store.pid()), Long::sum);
        }
        long postgres = cluster.stores().postgresPid();
        if (postgres > 0) {
            long total = millis(postgres);
            for (long child : children(postgres)) {
                total += millis(child);
            }
            byRole.put("postgres", total);
        }
        for (ServiceCatalog.Service service : ServiceCatalog.SERVICES) {
            for (ManagedProcess replica : cluster.replicas(service.name())) {
                byRole.merge(service.name(), millis(replica.pid()), Long::sum);
            }
        }
        for (ManagedProcess gateway : cluster.gateways()) {
            byRole.merge("gateway", millis(gateway.pid()), Long::sum);
        }
        byRole.put("benchmark client", millis(ProcessHandle.current().pid()));
        return byRole;
    }

    /**
     * CPU milliseconds used so far by the JIT compiler threads ({@code C1/C2 CompilerThread*}) of
     * every JVM of the clusters and of the benchmark itself. Sixteen JVMs on two cores take minutes
     * to compile their hot paths; a figure measured before that is mostly compilation.
     */
    static long compilerMillis(LocalCluster... clusters) {
        List<Long> pids = new ArrayList<>();
        for (LocalCluster cluster : clusters) {
            cluster.stores().processes().forEach(p -> pids.add(p.pid()));
            for (ServiceCatalog.Service service : ServiceCatalog.SERVICES) {
                cluster.replicas(service.name()).forEach(p -> pids.add(p.pid()));
            }
            cluster.gateways().forEach(p -> pids.add(p.pid()));
        }
        pids.add(ProcessHandle.current().pid());
        long total = 0;
        for (long pid : pids) {
            try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    total += compilerThreadMillis(task);
                }
            } catch (IOException | RuntimeException e) {
                // the process is gone
            }
        }
        return total;
    }

    /**
     * Waits until the clusters' JIT compilers together use less than {@code cores} of a core over
     * {@code window}, or {@code timeout} passes; the seconds waited.
     */
    static double awaitCompiled(double cores, Duration window, Duration timeout, LocalCluster... clusters) throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            long before = compilerMillis(clusters);
            Thread.sleep(window.toMillis());
            if (compilerMillis(clusters) - before < cores * window.toMillis()) {
                break;
            }
        }
        return (System.nanoTime() - started) / 1e9;
    }

    private static long compilerThreadMillis(Path task) {
        try {
            String stat = Files.readString(task.resolve("stat"));
            String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
            if (!comm.startsWith("C1 CompilerThre") && !comm.startsWith("C2 CompilerThre")) {
                return 0;
            }
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 1000 / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0; // the thread is gone
        }
    }

    /** What each role used between two snapshots. */
    static Map<String, Long> between(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> used = new LinkedHashMap<>();
        after.forEach((role, ms) -> used.put(role, ms - before.getOrDefault(role, 0L)));
        return used;
    }

    /** A Markdown table: CPU-ms per unit of work for each role, its share, and the total. */
    /** The CPU milliseconds of all the processes of a reading together. */
    static long total(Map<String, Long> used) {
        return used.values().stream().mapToLong(Long::longValue).sum();
    }

    /** What part of a reading's CPU the JIT compilers used ({@link #compilerMillis} over the same time), as "NN %". */
    static String compilerShare(long compiling, Map<String, Long> used) {
        return String.format("%.0f %%", 100.0 * compiling / Math.max(1, total(used)));
    }

    static void report(Report report, Map<String, Long> used, long units, String unit) {
        long total = total(used);
        report.table("Process", "CPU-ms per " + unit, "Share");
        used.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).forEach(e -> report.row(e.getKey(),
                String.format("%.3f", (double) e.getValue() / units), String.format("%.0f %%", 100.0 * e.getValue() / Math.max(1, total))));
        report.row("**all**", String.format("**%.3f**", (double) total / units), "100 %");
    }

    private static long millis(long pid) {
        if (pid <= 0) {
            return 0;
        }
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm) ": state is field 3, so utime (14) .. cstime (17) are indexes 11 .. 14
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
            return ticks * 1000 / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0; // the process is gone
        }
    }

    private static List<Long> children(long parent) {
        List<Long> children = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (Long.parseLong(fields[1]) == parent) {
                        children.add(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException | RuntimeException e) {
                    // gone meanwhile
                }
            });
        } catch (IOException e) {
            return children;
        }
        return children;
    }
}
