package dev.cairn.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server playing one replica of a Cairn service: it answers the readiness probe,
 * names itself in X-Cairn-Instance, and echoes what it was asked. It can be made unready, and
 * stopped (its port then refuses connections, as when a process dies).
 */
final class TestReplica implements AutoCloseable {

    private final String id;
    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile boolean ready = true;
    private volatile int status = 200;
    private volatile long delayMillis;

    private TestReplica(String id, HttpServer server) {
        this.id = id;
        this.server = server;
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
    }

    static TestReplica start(String id) {
        return start(id, "127.0.0.1", 0);
    }

    static TestReplica start(String id, String address, int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), port), 64);
            return new TestReplica(id, server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            byte[] received = body.readAllBytes();
            exchange.getResponseHeaders().set("X-Cairn-Instance", id);
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/actuator/health/readiness")) {
                String state = ready ? "UP" : "OUT_OF_SERVICE";
                respond(exchange, ready ? 200 : 503, "{\"status\":\"" + state + "\",\"components\":{\"readinessState\":{\"status\":\""
                        + state + "\"}}}");
                return;
            }
            requests.incrementAndGet();
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            respond(exchange, status, "{\"replica\":\"" + id + "\",\"method\":\"" + exchange.getRequestMethod() + "\",\"path\":\""
                    + exchange.getRequestURI() + "\",\"bytes\":" + received.length + "}");
        }
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    String uri() {
        InetSocketAddress address = server.getAddress();
        return "http://" + address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String id() {
        return id;
    }

    int requests() {
        return requests.get();
    }

    void ready(boolean ready) {
        this.ready = ready;
    }

    void answerWith(int status) {
        this.status = status;
    }

    /** Every answer but the readiness probe's comes this much later. */
    void answerAfter(Duration delay) {
        this.delayMillis = delay.toMillis();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
