package dev.cairn.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Closed-loop throughput with wrk (C, cheap on the shared cores), posting a JSON body with a
 * bearer token. wrk comes from Debian's packages ({@code apt-get install wrk}).
 */
final class Wrk {

    /** Requests per second, latency percentiles in ms, and how many answers were not 2xx. */
    record Result(double requestsPerSecond, double p50, double p90, double p99, long requests, long non2xx) {
        String summary() {
            return String.format("%.0f req/s, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, %d requests, %d not 2xx", requestsPerSecond, p50, p90,
                    p99, requests, non2xx);
        }
    }

    private Wrk() {
    }

    static boolean available() {
        return Files.isExecutable(Path.of("/usr/bin/wrk")) || Files.isExecutable(Path.of("/usr/local/bin/wrk"));
    }

    static Result post(String url, String token, String json, int connections, Duration duration) throws IOException, InterruptedException {
        Path script = Files.createTempFile("cairn-wrk", ".lua");
        Files.writeString(script, "wrk.method = \"POST\"\n"
                + "wrk.body = '" + json.replace("'", "\\'") + "'\n"
                + "wrk.headers[\"Content-Type\"] = \"application/json\"\n"
                + "wrk.headers[\"Authorization\"] = \"Bearer " + token + "\"\n");
        List<String> command = new ArrayList<>(List.of("wrk", "-t2", "-c" + connections, "-d" + duration.toSeconds() + "s", "--latency",
                "-s", script.toString(), url));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        process.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS);
        Files.deleteIfExists(script);
        return new Result(number(output, "Requests/sec:\\s+([0-9.]+)"), millis(output, "50%"), millis(output, "90%"), millis(output, "99%"),
                (long) number(output, "([0-9]+) requests in"), (long) numberOr(output, "Non-2xx or 3xx responses:\\s+([0-9]+)", 0));
    }

    private static double millis(String output, String percentile) {
        Matcher m = Pattern.compile("\\s" + Pattern.quote(percentile) + "\\s+([0-9.]+)(us|ms|s)").matcher(output);
        if (!m.find()) {
            return Double.NaN;
        }
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }

    private static double number(String output, String regex) {
        Matcher m = Pattern.compile(regex).matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("unexpected wrk output:\n" + output);
        }
        return Double.parseDouble(m.group(1));
    }

    private static double numberOr(String output, String regex, double fallback) {
        Matcher m = Pattern.compile(regex).matcher(output);
        return m.find() ? Double.parseDouble(m.group(1)) : fallback;
    }
}
