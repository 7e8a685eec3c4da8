package dev.cairn.systemtests.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cairn.localcluster.NginxFront;

/**
 * The nginx configuration of the compose project is valid nginx, with and without HTTPS, and
 * HTTPS is switched on exactly when a certificate is mounted. Runs the real nginx and the real
 * start script against a copy whose /etc/nginx paths point into a temporary directory. The tests
 * that need nginx say so before they do anything ({@code bin/cairn setup} and {@code .ci/run}
 * install it).
 */
class ComposeNginxIT {

    private static final Path ROOT = Path.of(System.getProperty("cairn.root", "..")).toAbsolutePath().normalize();
    private static final Path SOURCE = ROOT.resolve("nginx/compose");

    @TempDir
    Path etc;

    @Test
    void withoutACertificateOnlyHttpIsServedAndTheOperatorIsWarned() throws Exception {
        Path nginx = requireNginx();
        Result start = runStartScript();
        assertThat(start.exitCode).isZero();
        assertThat(start.output).contains("HTTPS is off");
        try (Stream<Path> enabled = Files.list(etc.resolve("cairn-enabled"))) {
            assertThat(enabled).isEmpty();
        }
        assertNginxAccepts(nginx);
    }

    @Test
    void withACertificateHttpsIsSwitchedOn() throws Exception {
        Path nginx = requireNginx();
        assumeTrue(onPath("openssl"), "openssl makes the test certificate");
        Files.createDirectories(etc.resolve("certs"));
        Result certificate = run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=localhost", "-keyout", etc.resolve("certs/tls.key").toString(),
                "-out", etc.resolve("certs/tls.crt").toString()));
        assertThat(certificate.exitCode).as(certificate.output).isZero();

        Result start = runStartScript();
        assertThat(start.exitCode).isZero();
        assertThat(start.output).contains("HTTPS on 443");
        assertThat(Files.readString(etc.resolve("cairn-enabled/tls.conf"))).contains("listen 443 ssl");
        assertNginxAccepts(nginx);
    }

    @Test
    void aRemovedCertificateSwitchesHttpsOffAgain() throws Exception {
        Files.createDirectories(etc.resolve("certs"));
        Files.writeString(etc.resolve("certs/tls.crt"), "x");
        Files.writeString(etc.resolve("certs/tls.key"), "x");
        runStartScript();
        assertThat(etc.resolve("cairn-enabled/tls.conf")).exists();
        Files.delete(etc.resolve("certs/tls.key"));
        runStartScript();
        assertThat(etc.resolve("cairn-enabled/tls.conf")).doesNotExist();
    }

    private static Path requireNginx() {
        var nginx = NginxFront.executable();
        assumeTrue(nginx.isPresent(), "nginx is not installed (bin/cairn setup installs it)");
        return nginx.get();
    }

    private void assertNginxAccepts(Path nginx) throws Exception {
        Path config = etc.resolve("nginx.conf");
        Files.writeString(config, localised(Files.readString(SOURCE.resolve("nginx.conf"))));
        Result test = run(List.of(nginx.toString(), "-t", "-p", etc.toString(), "-c", config.toString(),
                "-g", "error_log stderr;"));
        assertThat(test.exitCode).as(test.output).isZero();
        assertThat(test.output).contains("test is successful");
    }

    /** The compose files, with every /etc/nginx path moved into the temporary directory. */
    private Result runStartScript() throws Exception {
        Path cairn = etc.resolve("cairn");
        Files.createDirectories(cairn);
        try (Stream<Path> files = Files.list(SOURCE)) {
            for (Path file : files.toList()) {
                Files.writeString(cairn.resolve(file.getFileName()), localised(Files.readString(file)));
            }
        }
        return run(List.of("sh", cairn.resolve("enable-tls.sh").toString()));
    }

    private String localised(String text) {
        return text.replace("/etc/nginx/", etc + "/")
                .replace("pid /tmp/nginx.pid;", "pid " + etc.resolve("nginx.pid") + ";")
                .replace("error_log /dev/stderr warn;", "");
    }

    private static boolean onPath(String command) {
        try {
            return run(List.of("sh", "-c", "command -v " + command)).exitCode == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " did not finish");
        }
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
