package dev.cairn.localcluster.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Application class-data sharing for a Spring Boot jar. Starting a dozen JVMs on two cores is
 * bound by CPU, and about half of each start is loading and verifying classes; a CDS archive
 * made once per build halves that. The archive is made by a training run that refreshes the
 * application context against the real stores and exits, and is reused until the jar or the
 * JDK changes. When anything goes wrong the plain jar is used.
 */
public final class CdsArchive {

    private final Path extractedJar;
    private final Path archive;

    private CdsArchive(Path extractedJar, Path archive) {
        this.extractedJar = extractedJar;
        this.archive = archive;
    }

    /** The command line that starts the jar, with the archive when there is one. */
    public List<String> command(List<String> jvmOptions) {
        List<String> options = new ArrayList<>(jvmOptions);
        options.add("-XX:SharedArchiveFile=" + archive);
        options.add("-Xlog:cds=off");
        options.add("-Xlog:cds+dynamic=off");
        return JavaCommand.jar(options, extractedJar, List.of());
    }

    /**
     * Returns the archive of a jar, making it first when missing or stale; null when the jar
     * cannot be archived (the caller then runs the jar as it is).
     */
    public static CdsArchive prepare(Path jar, List<String> jvmOptions, Map<String, String> environment, Path log) {
        Path directory = jar.resolveSibling("cds");
        String stamp = stamp(jar);
        String name = jar.getFileName().toString();
        Path extracted = directory.resolve("app").resolve(name);
        Path archive = directory.resolve("app.jsa");
        try {
            Files.createDirectories(directory);
            try (FileChannel channel = FileChannel.open(jar.resolveSibling("cds.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                Path stampFile = directory.resolve("stamp");
                if (Files.exists(archive) && Files.exists(extracted) && Files.exists(stampFile)
                        && Files.readString(stampFile).equals(stamp)) {
                    return new CdsArchive(extracted, archive);
                }
                deleteContents(directory);
                if (run(JavaCommand.jar(List.of("-Djarmode=tools"), jar, List.of("extract", "--destination", directory.resolve("app").toString())),
                        Map.of(), log, 120) != 0 || !Files.exists(extracted)) {
                    return null;
                }
                List<String> training = new ArrayList<>(jvmOptions);
                training.add("-XX:ArchiveClassesAtExit=" + archive);
                training.add("-Dspring.context.exit=onRefresh");
                if (run(JavaCommand.jar(training, extracted, List.of()), environment, log, 180) != 0 || !Files.exists(archive)) {
                    return null;
                }
                Files.writeString(stampFile, stamp);
                return new CdsArchive(extracted, archive);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare a CDS archive for " + jar, e);
        }
    }

    private static String stamp(Path jar) {
        try {
            return Files.getLastModifiedTime(jar).toMillis() + ":" + Files.size(jar) + ":" + Runtime.version() + ":"
                    + JavaCommand.javaExecutable();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int run(List<String> command, Map<String, String> environment, Path log, int timeoutSeconds) throws IOException {
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        Process process = builder.start();
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return -1;
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return -1;
        }
    }

    private static void deleteContents(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(directory)).forEach(p -> p.toFile().delete());
        }
    }
}
