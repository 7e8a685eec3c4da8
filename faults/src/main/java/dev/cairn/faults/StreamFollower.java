package dev.cairn.faults;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import tools.jackson.databind.JsonNode;

/**
 * Follows one event stream over a Cairn WebSocket as a browser does (the token offered as a
 * subprotocol), and subscribes again after the last event it saw whenever the connection drops.
 * Like the console, it pings the replica every second and counts a connection that has answered
 * nothing for {@link #SILENCE} as dropped, even if every hop on the way still holds it open.
 */
public final class StreamFollower implements WebSocket.Listener {

    /** How long a connection may stay silent, pings unanswered, before it is replaced. */
    public static final Duration SILENCE = Duration.ofSeconds(5);

    /** Every event received, in the order received. */
    public final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final String url;
    private final Supplier<String> token;
    private final String stream;
    private final AtomicLong last = new AtomicLong();
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket socket;
    private volatile boolean closing;
    private final AtomicBoolean reconnecting = new AtomicBoolean();
    private volatile long heardAt = System.nanoTime();
    private final ScheduledExecutorService keepAlive = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "stream-follower-keep-alive");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param url    ws:// address of the socket
     * @param stream the frame fields that name the stream, e.g. {@code "registerId":"..."}
     */
    public StreamFollower(String url, String token, String stream) {
        this(url, () -> token, stream);
    }

    /** With a token asked for at every connection, for a follower that outlives one access token. */
    public StreamFollower(String url, Supplier<String> token, String stream) {
        this.url = url;
        this.token = token;
        this.stream = stream;
        keepAlive.scheduleWithFixedDelay(this::ping, 1, 1, TimeUnit.SECONDS);
    }

    public StreamFollower connect() {
        for (int attempt = 0; attempt < 50 && !closing; attempt++) {
            try {
                WebSocket opened = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("cairn.bearer", token.get())
                        .buildAsync(URI.create(url), this).get(10, TimeUnit.SECONDS);
                heardAt = System.nanoTime();
                socket = opened;
                socket.sendText("{\"type\":\"subscribe\"," + stream + ",\"afterSeq\":" + last.get() + "}", true).get();
                return this;
            } catch (Exception e) {
                sleep();
            }
        }
        return this;
    }

    public List<Long> seqs() {
        return events.stream().map(e -> e.path("seq").asLong()).toList();
    }

    public List<String> types() {
        return events.stream().map(e -> e.path("type").asString()).toList();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean lastPart) {
        if (webSocket != socket && socket != null) {
            return null; // a connection given up on
        }
        heardAt = System.nanoTime();
        partial.append(data);
        if (lastPart) {
            JsonNode frame = Api.JSON.readTree(partial.toString());
            partial.setLength(0);
            if ("event".equals(frame.path("type").asString())) {
                events.add(frame.path("event"));
                last.set(frame.path("event").path("seq").asLong());
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        if (webSocket == socket) {
            reconnect();
        }
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        if (webSocket == socket) {
            reconnect();
        }
    }

    private void reconnect() {
        if (!closing && reconnecting.compareAndSet(false, true)) {
            Thread thread = new Thread(() -> {
                connect();
                reconnecting.set(false);
                // a connection that closed while this one was being made is replaced by the keep-alive
            }, "stream-follower-reconnect");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Drops the connection as a lost network does; the follower connects again and subscribes after the last event it saw. */
    public void dropConnection() {
        WebSocket current = socket;
        reconnect();
        if (current != null) {
            current.abort();
        }
    }

    /** Pings the replica; replaces a connection that has been silent too long (closed, or half-open through a proxy). */
    private void ping() {
        WebSocket current = socket;
        if (closing || current == null || reconnecting.get()) {
            return;
        }
        if (current.isInputClosed() || System.nanoTime() - heardAt > SILENCE.toNanos()) {
            dropConnection();
            return;
        }
        current.sendText("{\"type\":\"ping\"}", true);
    }

    public void close() {
        closing = true;
        keepAlive.shutdownNow();
        if (socket != null) {
            socket.abort();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
