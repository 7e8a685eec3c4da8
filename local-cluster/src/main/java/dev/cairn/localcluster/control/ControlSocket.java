package dev.cairn.localcluster.control;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The launcher's control socket, {@code <home>/control.sock}: a Unix domain socket that only the
 * user who runs the suite can open (mode 600). One request per connection, a line
 * {@code VERB PROCESS} ({@link ProcessControl.Verb}), answered by one line: {@code ok},
 * {@code refused REASON} (a wrong request: nothing was done) or {@code failed REASON}.
 * Requests run concurrently, so that several processes can be started again at once.
 */
public final class ControlSocket implements AutoCloseable {

    static final String OK = "ok";
    static final String REFUSED = "refused ";
    static final String FAILED = "failed ";

    private final Path path;
    private final ServerSocketChannel server;
    private final ExecutorService workers = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "cairn-control");
        thread.setDaemon(true);
        return thread;
    });

    private ControlSocket(Path path, ServerSocketChannel server) {
        this.path = path;
        this.server = server;
    }

    public static Path path(Path home) {
        return home.resolve("control.sock");
    }

    /** Listens on {@code <home>/control.sock} (replacing a socket left by a launcher that died) and serves {@code control}. */
    public static ControlSocket open(Path home, ProcessControl control) {
        Path path = path(home);
        try {
            Files.deleteIfExists(path);
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            ControlSocket socket = new ControlSocket(path, server);
            socket.workers.submit(() -> socket.accept(control));
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + path, e);
        }
    }

    private void accept(ProcessControl control) {
        while (server.isOpen()) {
            try {
                SocketChannel connection = server.accept();
                workers.submit(() -> serve(connection, control));
            } catch (IOException e) {
                if (server.isOpen()) {
                    System.err.println("control socket: " + e.getMessage());
                }
                return;
            }
        }
    }

    private static void serve(SocketChannel connection, ProcessControl control) {
        try (connection;
             BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(connection), StandardCharsets.UTF_8));
             Writer out = Channels.newWriter(connection, StandardCharsets.UTF_8)) {
            out.write(answer(in.readLine(), control) + "\n");
        } catch (IOException e) {
            // the client went away; what it asked for has been done or refused all the same
        }
    }

    static String answer(String request, ProcessControl control) {
        String[] words = request == null ? new String[0] : request.trim().split("\\s+");
        if (words.length != 2) {
            return REFUSED + "expected one line 'VERB PROCESS'";
        }
        try {
            control.act(ProcessControl.Verb.parse(words[0]), words[1]);
            return OK;
        } catch (IllegalArgumentException e) {
            return REFUSED + oneLine(e.getMessage());
        } catch (RuntimeException e) {
            return FAILED + oneLine(e.getMessage());
        }
    }

    private static String oneLine(String message) {
        return String.valueOf(message).replace('\n', ' ');
    }

    @Override
    public void close() {
        try {
            server.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // the launcher is stopping; a stale socket is replaced by the next one
        }
        workers.shutdownNow();
    }
}
