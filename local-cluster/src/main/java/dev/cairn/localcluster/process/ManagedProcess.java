package dev.cairn.localcluster.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One child process of the local cluster: a service replica, a gateway, a store or nginx. Its
 * output goes to its own log file; it can be stopped gracefully, killed (SIGKILL) and started
 * again with the same command, port and log.
 */
public final class ManagedProcess {

    private final String name;
    private final String role;
    private final int port;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path log;
    private final Path workingDirectory;
    private final Readiness readiness;
    private volatile Process process;
    private volatile Instant startedAt;

    public ManagedProcess(String name, String role, int port, List<String> command, Map<String, String> environment,
            Path log, Path workingDirectory, Readiness readiness) {
        this.name = name;
        this.role = role;
        this.port = port;
        this.command = List.copyOf(command);
        this.environment = new LinkedHashMap<>(environment);
        this.log = log;
        this.workingDirectory = workingDirectory;
        this.readiness = readiness;
    }

    public synchronized void start() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running (pid " + pid() + ")");
        }
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, "---- " + Instant.now() + " starting " + name + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workingDirectory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().putAll(environment);
            process = builder.start();
            startedAt = Instant.now();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", command), e);
        }
    }

    /** Waits until the process is ready; fails at once, with the end of its log, if it exits. */
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!isAlive()) {
                throw new IllegalStateException(name + " exited with code " + exitCode().orElse(-1)
                        + " before it was ready; the end of " + log + ":\n" + tail(40));
            }
            if (readiness.isReady()) {
                return;
            }
            sleep(200);
        }
        throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds() + " s (" + readiness
                + "); the end of " + log + ":\n" + tail(40));
    }

    public boolean isReady() {
        return isAlive() && readiness.isReady();
    }

    /** SIGTERM, then SIGKILL after the grace period. */
    public void stop(Duration grace) {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
    }

    /** SIGKILL: the process gets no chance to clean up, as when a machine or container dies. */
    public void kill() {
        Process p = process;
        if (p == null) {
            return;
        }
        // its children too (nginx's workers), as when the machine dies
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * SIGSTOP: the process is frozen with its connections held open, as when a machine stalls (a
     * long pause of the JVM, a suspended virtual machine). {@link #resume()} lets it run on.
     */
    public void pause() {
        signal("STOP");
    }

    /** SIGCONT: a paused process runs on from where it stopped, unaware of the time that passed. */
    public void resume() {
        signal("CONT");
    }

    private void signal(String signal) {
        long pid = pid();
        if (!isAlive()) {
            throw new IllegalStateException(name + " is not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed: " + new String(kill.getInputStream().readAllBytes(),
                        StandardCharsets.UTF_8).strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send SIG" + signal + " to " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    public long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    public Optional<Integer> exitCode() {
        Process p = process;
        return p == null || p.isAlive() ? Optional.empty() : Optional.of(p.exitValue());
    }

    public String name() {
        return name;
    }

    public String role() {
        return role;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Readiness readiness() {
        return readiness;
    }

    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", new ArrayList<>(all.subList(Math.max(0, all.size() - lines), all.size())));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public String toString() {
        return name + " (port " + port + ", pid " + pid() + ")";
    }
}
