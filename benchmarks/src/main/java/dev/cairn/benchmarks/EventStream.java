package dev.cairn.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;

import dev.cairn.testsupport.LedgerFixture;

/** Subscribes to one Cairn event stream and hands each event to a handler with the moment it arrived. */
final class EventStream implements WebSocket.Listener {

    interface Handler {
        void event(JsonNode event, long arrivedNanos);
    }

    private final StringBuilder partial = new StringBuilder();
    private final Handler handler;

    private EventStream(Handler handler) {
        this.handler = handler;
    }

    /**
     * Follows a stream from its first event.
     *
     * @param subscription what the subscribe frame selects: {@code "registerId":"…"} or {@code "wallet":"…"}
     */
    static void follow(String ws, String token, String subscription, Handler handler) throws Exception {
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + token)
                .buildAsync(URI.create(ws), new EventStream(handler)).get(10, TimeUnit.SECONDS);
        socket.sendText("{\"type\":\"subscribe\"," + subscription + ",\"afterSeq\":0}", true).get();
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            long now = System.nanoTime();
            JsonNode frame = LedgerFixture.JSON.readTree(partial.toString());
            partial.setLength(0);
            handler.event(frame.path("event"), now);
        }
        socket.request(1);
        return null;
    }
}
