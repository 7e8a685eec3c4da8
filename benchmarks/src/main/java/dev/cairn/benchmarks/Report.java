package dev.cairn.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** A benchmark's figures as a Markdown page under docs/benchmarks/, with the machine it ran on. */
final class Report {

    private final StringBuilder text = new StringBuilder();

    Report(String title, String what) {
        text.append("# ").append(title).append("\n\n").append(what).append("\n\n");
        text.append("Measured ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append(" on ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch"))
                .append(", Java ").append(Runtime.version()).append(".\n\n");
    }

    Report line(String line) {
        text.append(line).append('\n');
        return this;
    }

    Report table(String... header) {
        text.append('\n').append("| ").append(String.join(" | ", header)).append(" |\n");
        text.append("|").append("---|".repeat(header.length)).append('\n');
        return this;
    }

    Report row(Object... cells) {
        text.append("| ");
        for (Object cell : cells) {
            text.append(cell).append(" | ");
        }
        text.setLength(text.length() - 1);
        text.append('\n');
        return this;
    }

    void write(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text.toString());
            System.out.println(text);
            System.out.println("Written to " + file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
