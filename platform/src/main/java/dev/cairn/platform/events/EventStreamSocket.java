package dev.cairn.platform.events;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.scheduling.TaskScheduler;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;

import dev.cairn.platform.problem.ApiException;

/**
 * A WebSocket of sequenced event streams, in plain JSON text frames. A client sends
 * {@code {"type":"subscribe", <stream name fields>, "afterSeq":N}} (and {@code unsubscribe}); the
 * replica answers {@code subscribed} with the stream's {@code headSeq}, sends every event after
 * {@code afterSeq} from the store, then live ones as any replica publishes them. Each event
 * frame is {@code {"type":"event", <stream name fields>, "event":{seq, type, ...}}}, in sequence order without gaps:
 * when a live event arrives ahead of the next expected number (a message lost while Redis was
 * away), the missing ones are read from the store first.
 *
 * <p>What a stream is, who may read it and where its events are kept is the {@link Streams} of
 * the service: a register's events in the register service, a wallet's or an instance's
 * notifications in the blueprint service.
 *
 * <p>A {@code {"type":"ping"}} frame is answered {@code {"type":"pong"}} by the replica itself, not
 * by a proxy on the way (WebSocket ping control frames are answered by the first hop): a client
 * that hears nothing back knows its connection is dead even when every hop still holds it open,
 * and connects again.
 */
public class EventStreamSocket extends TextWebSocketHandler {

    /** The streams a service serves. */
    public interface Streams {
        /**
         * The stream a subscribe or unsubscribe frame names: its key and the fields that name it in
         * answers (e.g. {@code {"registerId": ...}}).
         *
         * @throws ApiException when the frame names no stream this socket serves
         */
        Stream named(JsonNode frame);

        /** @throws ApiException when the session's caller may not read the stream */
        void authorize(WebSocketSession session, Stream stream);

        /** The sequence number of the stream's latest event (0 before any). */
        long headSeq(String key);

        /** Up to {@code limit} events with a sequence number above {@code afterSeq}, in order. */
        ArrayNode after(String key, long afterSeq, int limit);
    }

    /** A stream: the key events are delivered by, and the frame fields that name it. */
    public record Stream(String key, ObjectNode label) {
    }

    private static final Logger log = LoggerFactory.getLogger(EventStreamSocket.class);
    private static final int BATCH = 500;
    /** How often every subscription is checked against the store ({@link #catchUpAll()}). */
    public static final java.time.Duration CATCH_UP_EVERY = java.time.Duration.ofSeconds(2);
    private static final String PONG = "{\"type\":\"pong\"}";

    /** One subscription of one session to one stream. */
    private static final class Subscription {
        final WebSocketSession session;
        final String key;
        final ObjectNode label;
        volatile long lastSeq;

        Subscription(WebSocketSession session, Stream stream, long lastSeq) {
            this.session = session;
            this.key = stream.key();
            this.label = stream.label();
            this.lastSeq = lastSeq;
        }
    }

    private final Streams streams;
    private final JsonMapper json;
    private final Map<String, Set<Subscription>> byStream = new ConcurrentHashMap<>();
    private final Map<String, WebSocketSession> sessions = new ConcurrentHashMap<>();

    /**
     * @param scheduler runs {@link #catchUpAll()} every {@link #CATCH_UP_EVERY}; null for none (a test's socket)
     */
    public EventStreamSocket(Streams streams, JsonMapper json, TaskScheduler scheduler) {
        this.streams = streams;
        this.json = json;
        if (scheduler != null) {
            scheduler.scheduleWithFixedDelay(this::catchUpAll, CATCH_UP_EVERY);
        }
    }

    /**
     * Sends every subscription what the store holds beyond what it was sent. Live events reach a
     * replica over Redis; one whose Redis subscription is not working yet (Redis or the replica
     * just came back) would otherwise send nothing more until an event does arrive, and a
     * stream's last events could stay unsent. One key lookup per subscribed stream.
     */
    public void catchUpAll() {
        for (Map.Entry<String, Set<Subscription>> entry : byStream.entrySet()) {
            Set<Subscription> subscriptions = entry.getValue();
            long behind = subscriptions.stream().mapToLong(s -> s.lastSeq).min().orElse(Long.MAX_VALUE);
            if (behind == Long.MAX_VALUE) {
                continue;
            }
            try {
                if (streams.after(entry.getKey(), behind, 1).isEmpty()) {
                    continue;
                }
                for (Subscription subscription : subscriptions) {
                    synchronized (subscription) {
                        catchUp(subscription);
                    }
                }
            } catch (RuntimeException e) {
                log.debug("Catching up stream {} failed: {}", entry.getKey(), e.getMessage());
            }
        }
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        sessions.put(session.getId(), new ConcurrentWebSocketSessionDecorator(session, 10_000, 4 * 1024 * 1024));
    }

    @Override
    protected void handleTextMessage(WebSocketSession raw, TextMessage message) {
        WebSocketSession session = sessions.getOrDefault(raw.getId(), raw);
        JsonNode request;
        try {
            request = json.readTree(message.getPayload());
        } catch (RuntimeException e) {
            send(session, error("The frame is not JSON"));
            return;
        }
        String type = request.path("type").asString("");
        if (type.equals("ping")) {
            send(session, PONG);
            return;
        }
        if (!type.equals("subscribe") && !type.equals("unsubscribe")) {
            send(session, error("Expected a frame of type subscribe, unsubscribe or ping"));
            return;
        }
        Stream stream;
        try {
            stream = streams.named(request);
        } catch (ApiException e) {
            send(session, error(e.getBody().getDetail()));
            return;
        }
        if (type.equals("subscribe")) {
            subscribe(session, stream, Math.max(0, request.path("afterSeq").asLong(0)));
        } else {
            Set<Subscription> subscriptions = byStream.get(stream.key());
            if (subscriptions != null) {
                subscriptions.removeIf(s -> s.session.getId().equals(session.getId()));
            }
            send(session, frame("unsubscribed", stream).toString());
        }
    }

    private void subscribe(WebSocketSession session, Stream stream, long afterSeq) {
        try {
            streams.authorize(session, stream);
        } catch (ApiException e) {
            send(session, error(e.getBody().getDetail()));
            return;
        }
        Subscription subscription = new Subscription(session, stream, afterSeq);
        synchronized (subscription) {
            byStream.computeIfAbsent(stream.key(), key -> ConcurrentHashMap.newKeySet()).add(subscription);
            send(session, frame("subscribed", stream).put("headSeq", streams.headSeq(stream.key())).toString());
            catchUp(subscription);
        }
    }

    /** Live events of one stream (from Redis), in sequence order. */
    public void deliver(String key, ArrayNode events) {
        Set<Subscription> subscriptions = byStream.get(key);
        if (subscriptions == null || events.isEmpty()) {
            return;
        }
        long first = events.get(0).path("seq").asLong();
        for (Subscription subscription : subscriptions) {
            synchronized (subscription) {
                if (first > subscription.lastSeq + 1) {
                    catchUp(subscription);
                }
                for (JsonNode event : events) {
                    sendEvent(subscription, event);
                }
            }
        }
    }

    private void catchUp(Subscription subscription) {
        while (subscription.session.isOpen()) {
            ArrayNode missed = streams.after(subscription.key, subscription.lastSeq, BATCH);
            if (missed.isEmpty()) {
                return;
            }
            long before = subscription.lastSeq;
            missed.forEach(event -> sendEvent(subscription, event));
            if (subscription.lastSeq == before) {
                return; // the store skipped a number: nothing more can be sent in order
            }
        }
    }

    private void sendEvent(Subscription subscription, JsonNode event) {
        long seq = event.path("seq").asLong();
        if (seq != subscription.lastSeq + 1) {
            return; // already sent, or a later one that the next catch-up delivers in order
        }
        ObjectNode frame = json.createObjectNode().put("type", "event");
        frame.setAll(subscription.label);
        frame.set("event", event);
        if (send(subscription.session, frame.toString())) {
            subscription.lastSeq = seq;
        }
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        sessions.remove(session.getId());
        byStream.values().forEach(subscriptions -> subscriptions.removeIf(s -> s.session.getId().equals(session.getId())));
    }

    private ObjectNode frame(String type, Stream stream) {
        ObjectNode frame = json.createObjectNode().put("type", type);
        frame.setAll(stream.label());
        return frame;
    }

    private String error(String detail) {
        return json.createObjectNode().put("type", "error").put("detail", detail).toString();
    }

    private static boolean send(WebSocketSession session, String frame) {
        try {
            session.sendMessage(new TextMessage(frame));
            return true;
        } catch (IOException | IllegalStateException e) {
            log.debug("WebSocket {} could not be written to: {}", session.getId(), e.getMessage());
            return false;
        }
    }
}
