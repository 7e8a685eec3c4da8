package dev.cairn.systemtests;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import tools.jackson.databind.JsonNode;

/**
 * Follows one event stream over a Cairn WebSocket as a browser does (the token offered as a
 * subprotocol), and subscribes again after the last event it saw whenever the connection drops.
 */
final class StreamFollower implements WebSocket.Listener {

    /** Every event received, in the order received. */
    final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final String url;
    private final String token;
    private final String stream;
    private final AtomicLong last = new AtomicLong();
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket socket;
    private volatile boolean closing;
    private final java.util.concurrent.atomic.AtomicBoolean reconnecting = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * @param url    ws:// address of the socket
     * @param stream the frame fields that name the stream, e.g. {@code "registerId":"..."}
     */
    StreamFollower(String url, String token, String stream) {
        this.url = url;
        this.token = token;
        this.stream = stream;
    }

    StreamFollower connect() {
        for (int attempt = 0; attempt < 50 && !closing; attempt++) {
            try {
                socket = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("cairn.bearer", token)
                        .buildAsync(URI.create(url), this).get(10, TimeUnit.SECONDS);
                socket.sendText("{\"type\":\"subscribe\"," + stream + ",\"afterSeq\":" + last.get() + "}", true).get();
                return this;
            } catch (Exception e) {
                sleep();
            }
        }
        return this;
    }

    List<Long> seqs() {
        return events.stream().map(e -> e.path("seq").asLong()).toList();
    }

    List<String> types() {
        return events.stream().map(e -> e.path("type").asString()).toList();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean lastPart) {
        if (webSocket != socket && socket != null) {
            return null; // a connection given up on
        }
        partial.append(data);
        if (lastPart) {
            JsonNode frame = Json.read(partial.toString());
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
            }, "stream-follower-reconnect");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Drops the connection as a lost network does; the follower connects again and subscribes after the last event it saw. */
    void dropConnection() {
        WebSocket current = socket;
        reconnect();
        if (current != null) {
            current.abort();
        }
    }

    void close() {
        closing = true;
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
