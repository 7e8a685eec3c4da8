package dev.cairn.localcluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import dev.cairn.localcluster.process.ManagedProcess;
import dev.cairn.localcluster.process.Readiness;

/**
 * nginx in front of the local gateways, when nginx is installed: renders
 * {@code nginx/local/nginx.conf.template} into the run directory and runs nginx in the
 * foreground as a child of the launcher.
 */
public final class NginxFront {

    private static final List<Path> CANDIDATES = List.of(Path.of("/usr/sbin/nginx"), Path.of("/usr/local/sbin/nginx"),
            Path.of("/usr/local/nginx/sbin/nginx"), Path.of("/usr/bin/nginx"));

    private NginxFront() {
    }

    public static Optional<Path> executable() {
        Optional<Path> known = CANDIDATES.stream().filter(Files::isExecutable).findFirst();
        if (known.isPresent()) {
            return known;
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(":")) {
            Path candidate = Path.of(dir, "nginx");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static String render(int listenPort, List<Integer> gatewayPorts, Path prefix, String maxBodySize) {
        return render(listenPort, gatewayPorts, prefix, prefix.resolve("console"), maxBodySize);
    }

    static String render(int listenPort, List<Integer> gatewayPorts, Path prefix, Path consoleRoot, String maxBodySize) {
        String template;
        try (InputStream in = NginxFront.class.getResourceAsStream("/nginx/nginx.conf.template")) {
            if (in == null) {
                throw new IllegalStateException("nginx/nginx.conf.template is missing from the launcher");
            }
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String servers = gatewayPorts.stream()
                .map(port -> "        server 127.0.0.1:" + port + " max_fails=1 fail_timeout=2s;")
                .collect(Collectors.joining("\n"));
        return template
                .replace("{{USER}}", userDirective())
                .replace("{{PREFIX}}", prefix.toString())
                .replace("{{PORT}}", String.valueOf(listenPort))
                .replace("{{CONSOLE_ROOT}}", consoleRoot.toString())
                .replace("{{UPSTREAM_SERVERS}}", servers)
                .replace("{{MAX_BODY_SIZE}}", maxBodySize);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                } else {
                    Files.copy(source, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
        }
    }

    /** As root, nginx workers drop to an unprivileged user; otherwise they stay who we are. */
    private static String userDirective() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "";
        }
        try {
            boolean nogroup = Files.readAllLines(Path.of("/etc/group")).stream().anyMatch(l -> l.startsWith("nogroup:"));
            return "user nobody " + (nogroup ? "nogroup" : "nobody") + ";";
        } catch (IOException e) {
            return "user nobody;";
        }
    }

    static ManagedProcess create(Path nginx, int listenPort, List<Integer> gatewayPorts, Path runDirectory, Path log) {
        return create(nginx, listenPort, gatewayPorts, null, runDirectory, log);
    }

    /**
     * @param console the console's files ({@code console/} of the repository), copied into the
     *                prefix so that nginx's unprivileged workers can read them; null or missing:
     *                every request goes to a gateway, which serves the console too
     */
    static ManagedProcess create(Path nginx, int listenPort, List<Integer> gatewayPorts, Path console, Path runDirectory, Path log) {
        Path prefix = runDirectory.resolve("nginx");
        try {
            for (String dir : List.of("", "client_body", "proxy", "fastcgi", "uwsgi", "scgi", "logs", "console")) {
                Path path = prefix.resolve(dir);
                Files.createDirectories(path);
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxrwxrwx"));
            }
            if (console != null && Files.isDirectory(console)) {
                copyTree(console, prefix.resolve("console"));
            }
            Files.writeString(prefix.resolve("nginx.conf"), render(listenPort, gatewayPorts, prefix, "2m"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare nginx in " + prefix, e);
        }
        return new ManagedProcess("nginx", "nginx", listenPort,
                List.of(nginx.toString(), "-p", prefix.toString(), "-c", prefix.resolve("nginx.conf").toString()),
                Map.of(), log, prefix, Readiness.http(java.net.URI.create("http://127.0.0.1:" + listenPort + "/nginx-health")));
    }
}
