package dev.cairn.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/** Appends what a test measured to target/system-test-figures.txt, and prints it. */
final class Figures {

    private static final Path FILE = Path.of("target", "system-test-figures.txt");

    private Figures() {
    }

    static void record(String test, String figures) {
        String line = Instant.now() + " " + test + ": " + figures + System.lineSeparator();
        System.out.print(line);
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
