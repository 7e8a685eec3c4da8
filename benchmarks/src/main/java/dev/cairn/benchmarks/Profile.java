package dev.cairn.benchmarks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.cairn.localcluster.LocalCluster;

/**
 * A flight recording of one process of a local cluster (the first replica of a service, or the
 * embedded MongoDB server), started with {@code jcmd}; {@link #summary} stops it and names the
 * classes whose methods were on top of the stack most often. The recording stays in its file
 * for {@code jfr print} or JDK Mission Control.
 */
record Profile(String name, long pid, Path file) {

    static List<Profile> start(LocalCluster cluster, Path directory, String... services) throws Exception {
        return start("", cluster, directory, services);
    }

    /** As {@link #start(LocalCluster, Path, String...)}, each name (and file) prefixed with {@code label}, for two clusters in one run. */
    static List<Profile> start(String label, LocalCluster cluster, Path directory, String... services) throws Exception {
        List<Profile> profiles = new ArrayList<>();
        for (String service : services) {
            long pid = service.equals("mongo") ? cluster.stores().process("mongo").pid() : cluster.replicas(service).get(0).pid();
            String name = label.isEmpty() ? service : label + " " + service;
            Path file = directory.resolve(name.replace(' ', '-') + ".jfr");
            run("jcmd", String.valueOf(pid), "JFR.start", "name=bench", "settings=default", "jdk.Compilation#threshold=0ms", "filename=" + file);
            profiles.add(new Profile(name, pid, file));
        }
        return profiles;
    }

    String summary() throws Exception {
        run("jcmd", String.valueOf(pid), "JFR.stop", "name=bench");
        String printed = run("jfr", "print", "--events", "jdk.ExecutionSample", file.toString());
        Map<String, Integer> byClass = new HashMap<>();
        int samples = 0;
        String[] lines = printed.split("\n");
        for (int i = 0; i < lines.length - 1; i++) {
            if (lines[i].trim().equals("stackTrace = [")) {
                String frame = lines[i + 1].trim();
                int method = frame.lastIndexOf('.', frame.indexOf('('));
                byClass.merge(method > 0 ? frame.substring(0, method) : frame, 1, Integer::sum);
                samples++;
            }
        }
        int total = samples;
        return "- " + name + " (" + total + " samples): " + byClass.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(5).map(e -> String.format("`%s` %.0f %%", e.getKey(), 100.0 * e.getValue() / Math.max(1, total)))
                .collect(Collectors.joining(", "));
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }
}
