package dev.cairn.localcluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import dev.cairn.localcluster.process.Readiness;

/**
 * What a running launcher writes to {@code <home>/state.json} so that {@code bin/cairn status}
 * and {@code bin/cairn down}, run from another shell, can find every process it started.
 *
 * @param mongoBackend the embedded MongoDB server's backend ({@code h2} keeps its data over a
 *                     restart, {@code memory} does not), or {@code external}
 */
public record ClusterState(String status, long launcherPid, String frontUrl, String runDirectory, String mongoBackend, Instant updatedAt,
        List<Entry> processes) {

    public static final String STARTING = "starting";
    public static final String READY = "ready";
    public static final String FAILED = "failed";
    public static final String STOPPING = "stopping";

    /**
     * @param startedAt start time of the process, so that clean-up never kills an unrelated
     *                  process that happens to reuse the pid
     * @param readiness what tells that it is ready (an http:// URL or tcp://host:port)
     */
    public record Entry(String name, String role, int port, long pid, Instant startedAt, String readiness, String log) {

        /** Whether the process is running and, when it has a readiness check, passes it. */
        public boolean ready() {
            if (live(this).isEmpty()) {
                return false;
            }
            if (readiness == null) {
                return true;
            }
            return readiness.startsWith("tcp://") ? Readiness.tcp("127.0.0.1", port).isReady() : Readiness.http(URI.create(readiness)).isReady();
        }
    }

    /** The recorded processes of one role (a service, gateway, nginx, mongo, redis, postgres), in name order. */
    public List<Entry> processes(String role) {
        return processes.stream().filter(p -> p.role().equals(role)).sorted(java.util.Comparator.comparing(Entry::name)).toList();
    }

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public static Path file(Path home) {
        return home.resolve("state.json");
    }

    public void write(Path home) {
        try {
            Files.createDirectories(home);
            Path temporary = home.resolve("state.json.tmp");
            Files.writeString(temporary, JSON.writeValueAsString(this));
            Files.move(temporary, file(home), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file(home), e);
        }
    }

    public static Optional<ClusterState> read(Path home) {
        Path file = file(home);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(Files.readString(file), ClusterState.class));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public static void delete(Path home) {
        try {
            Files.deleteIfExists(file(home));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when the launcher that wrote this state is still running. */
    public boolean launcherAlive() {
        return ProcessHandle.of(launcherPid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The process of an entry, if it is still the one the launcher started. */
    public static Optional<ProcessHandle> live(Entry entry) {
        return ProcessHandle.of(entry.pid())
                .filter(ProcessHandle::isAlive)
                .filter(handle -> entry.startedAt() == null || handle.info().startInstant()
                        .map(start -> Math.abs(start.getEpochSecond() - entry.startedAt().getEpochSecond()) <= 5)
                        .orElse(true));
    }
}
