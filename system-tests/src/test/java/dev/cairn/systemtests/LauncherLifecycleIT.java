package dev.cairn.systemtests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.cairn.localcluster.ClusterState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * bin/cairn as an operator uses it: up (detached and in the foreground), status, kill and start
 * of one process, down, and what is left when the launcher dies: nothing, once down has run.
 */
class LauncherLifecycleIT {

    private static final Pattern READY = Pattern.compile("Cairn is ready at (http://127\\.0\\.0\\.1:\\d+)");

    private final Path root = SharedCluster.repositoryRoot();
    private final Path home = root.resolve("system-tests/target/cli-home");

    @Test
    void detachedUpStatusKillStartLauncherKilledThenDownLeavesNothingBehind() throws Exception {
        Result up = cairn(withTenantAndWalletOnly("up", "--detach", "--port", "0", "--nginx", "off", "--mongo-backend", "memory", "--fresh"));
        assertThat(up.exitCode()).as(up.output()).isZero();
        Matcher ready = READY.matcher(up.output());
        assertThat(ready.find()).as(up.output()).isTrue();
        assertThat(new Http(ready.group(1)).get("/api/health").statusCode()).isEqualTo(200);

        Result status = cairn("status");
        assertThat(status.exitCode()).as(status.output()).isZero();
        assertThat(status.output()).contains("wallet-service-1").contains("gateway-1").contains("mongo").contains("redis")
                .doesNotContain("not ready").doesNotContain("stopped").doesNotContain("blueprint-service");

        // a process of the running suite, by name, through the launcher: killed, then started again on its port
        Result kill = cairn("kill", "wallet-service-1");
        assertThat(kill.exitCode()).as(kill.output()).isZero();
        assertThat(cairn("status").output()).containsPattern("wallet-service-1 .* stopped");
        Result start = cairn("start", "wallet-service-1");
        assertThat(start.exitCode()).as(start.output()).isZero();
        assertThat(start.output()).contains("Started (and ready) wallet-service-1");
        Result again = cairn("status");
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.output()).doesNotContain("stopped").doesNotContain("not ready");
        Result unknown = cairn("kill", "wallet-service-9");
        assertThat(unknown.exitCode()).as(unknown.output()).isEqualTo(2);
        assertThat(unknown.output()).contains("no process 'wallet-service-9'").contains("wallet-service-1");
        assertThat(cairn("kill", "postgres").output()).contains("postgres can be stopped and started, not killed");

        ClusterState state = ClusterState.read(home).orElseThrow();
        assertThat(state.processes()).as("the processes the launcher recorded").hasSizeGreaterThan(5);
        ProcessHandle.of(state.launcherPid()).orElseThrow().destroyForcibly();
        // Service JVMs and the MongoDB server watch the launcher and leave on their own.
        await().atMost(Duration.ofSeconds(30)).until(() -> state.processes().stream()
                .filter(p -> p.role().endsWith("-service") || p.role().equals("gateway") || p.role().equals("mongo"))
                .allMatch(p -> ClusterState.live(p).isEmpty()));

        Result down = cairn("down");
        assertThat(down.exitCode()).as(down.output()).isZero();
        assertThat(down.output()).contains("Cairn stopped");
        assertThat(state.processes()).allSatisfy(p -> assertThat(ClusterState.live(p)).as(p.name()).isEmpty());
        assertThat(processesUsing(home)).isEmpty();
        assertThat(cairn("status").output()).contains("Cairn is not running");
    }

    @Test
    void ctrlCOnAForegroundUpStopsEverything() throws Exception {
        List<String> command = new ArrayList<>(List.of(root.resolve("bin/cairn").toString()));
        command.addAll(List.of(withTenantAndWalletOnly("up", "--port", "0", "--nginx", "off", "--mongo-backend", "memory")));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(root.toFile()).redirectErrorStream(true);
        builder.environment().put("CAIRN_HOME", home.toString());
        Process up = builder.start();
        up.getOutputStream().close();
        CompletableFuture<String> url = new CompletableFuture<>();
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.append(line).append('\n');
                    Matcher m = READY.matcher(line);
                    if (m.find()) {
                        url.complete(m.group(1));
                    }
                }
            } catch (IOException e) {
                url.completeExceptionally(e);
            }
            url.completeExceptionally(new IllegalStateException("launcher ended:\n" + output));
        });
        reader.start();
        try {
            String front = url.get(5, TimeUnit.MINUTES);
            assertThat(new Http(front).get("/api/health").statusCode()).isEqualTo(200);
            ClusterState state = ClusterState.read(home).orElseThrow();
            assertThat(state.processes()).as("the processes the launcher recorded").hasSizeGreaterThan(5);

            new ProcessBuilder("kill", "-INT", String.valueOf(state.launcherPid())).start().waitFor();
            assertThat(up.waitFor(90, TimeUnit.SECONDS)).as(output.toString()).isTrue();
            assertThat(state.processes()).allSatisfy(p -> assertThat(ClusterState.live(p)).as(p.name()).isEmpty());
            assertThat(processesUsing(home)).isEmpty();
            assertThat(ClusterState.read(home)).isEmpty();
        } finally {
            if (up.isAlive()) {
                up.destroyForcibly();
                cairn("down");
            }
        }
    }

    /**
     * The suite with the tenant and wallet services only (the others scaled to 0): the launcher
     * treats every process alike, so two kinds of service show what it does with all of them.
     */
    private static String[] withTenantAndWalletOnly(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        for (String service : List.of("register-service", "validator-service", "blueprint-service", "peer-service")) {
            all.addAll(List.of("--replicas-of", service + "=0"));
        }
        return all.toArray(String[]::new);
    }

    private Result cairn(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(root.resolve("bin/cairn").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
        builder.environment().put("CAIRN_HOME", home.toString());
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(6, TimeUnit.MINUTES)).isTrue();
        return new Result(process.exitValue(), output);
    }

    /** Processes whose command line mentions the directory (data, logs, nginx prefix). */
    private static List<String> processesUsing(Path directory) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                    if (cmdline.contains(directory.toString()) && !cmdline.contains("surefire") && !cmdline.contains("failsafe")) {
                        found.add(proc.getFileName() + ": " + cmdline);
                    }
                } catch (IOException ignored) {
                    // the process ended while we looked
                }
            }
        }
        return found;
    }

    private record Result(int exitCode, String output) {
    }
}
