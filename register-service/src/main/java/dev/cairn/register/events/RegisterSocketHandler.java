package dev.cairn.register.events;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;

import dev.cairn.platform.auth.BearerTokenFilter;
import dev.cairn.platform.auth.Caller;
import dev.cairn.platform.problem.ApiException;
import dev.cairn.register.registry.RegisterAccess;

/**
 * {@code /ws/registers}: plain JSON text frames. A client sends
 * {@code {"type":"subscribe","registerId":"...","afterSeq":N}} (and {@code unsubscribe}); the
 * replica answers {@code subscribed} with the register's {@code headSeq}, sends every event
 * after {@code afterSeq} from the store, then live events as any replica seals dockets. Each
 * event frame is {@code {"type":"event","event":{seq, type, registerId, height, ...}}}, in
 * sequence order without gaps: when a live event arrives ahead of the next expected number (a
 * message lost while Redis was away), the missing ones are read from the store first.
 */
public class RegisterSocketHandler extends TextWebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(RegisterSocketHandler.class);
    private static final int BATCH = 500;

    /** One subscription of one session to one register. */
    private static final class Subscription {
        final WebSocketSession session;
        final String registerId;
        long lastSeq;

        Subscription(WebSocketSession session, String registerId, long lastSeq) {
            this.session = session;
            this.registerId = registerId;
            this.lastSeq = lastSeq;
        }
    }

    private final RegisterAccess access;
    private final RegisterEvents events;
    private final JsonMapper json;
    private final Map<String, Set<Subscription>> byRegister = new ConcurrentHashMap<>();
    private final Map<String, WebSocketSession> sessions = new ConcurrentHashMap<>();

    public RegisterSocketHandler(RegisterAccess access, RegisterEvents events, JsonMapper json) {
        this.access = access;
        this.events = events;
        this.json = json;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        sessions.put(session.getId(), new ConcurrentWebSocketSessionDecorator(session, 10_000, 4 * 1024 * 1024));
    }

    @Override
    protected void handleTextMessage(WebSocketSession raw, TextMessage message) throws IOException {
        WebSocketSession session = sessions.getOrDefault(raw.getId(), raw);
        JsonNode request;
        try {
            request = json.readTree(message.getPayload());
        } catch (RuntimeException e) {
            send(session, error("The frame is not JSON"));
            return;
        }
        String type = request.path("type").asString("");
        String registerId = request.path("registerId").asString("");
        switch (type) {
            case "subscribe" -> subscribe(session, registerId, Math.max(0, request.path("afterSeq").asLong(0)));
            case "unsubscribe" -> {
                Set<Subscription> subscriptions = byRegister.get(registerId);
                if (subscriptions != null) {
                    subscriptions.removeIf(s -> s.session.getId().equals(session.getId()));
                }
                send(session, json.createObjectNode().put("type", "unsubscribed").put("registerId", registerId).toString());
            }
            default -> send(session, error("Expected a frame of type subscribe or unsubscribe"));
        }
    }

    private void subscribe(WebSocketSession session, String registerId, long afterSeq) {
        Caller caller = (Caller) session.getAttributes().get(BearerTokenFilter.CALLER_ATTRIBUTE);
        try {
            access.readable(caller, registerId);
        } catch (ApiException e) {
            send(session, error(e.getBody().getDetail()));
            return;
        }
        Subscription subscription = new Subscription(session, registerId, afterSeq);
        synchronized (subscription) {
            byRegister.computeIfAbsent(registerId, key -> ConcurrentHashMap.newKeySet()).add(subscription);
            send(session, json.createObjectNode().put("type", "subscribed").put("registerId", registerId)
                    .put("headSeq", events.headSeq(registerId)).toString());
            catchUp(subscription);
        }
    }

    /** Live events of one docket, from Redis. */
    void deliver(String registerId, ArrayNode docketEvents) {
        Set<Subscription> subscriptions = byRegister.get(registerId);
        if (subscriptions == null || docketEvents.isEmpty()) {
            return;
        }
        long first = docketEvents.get(0).path("seq").asLong();
        for (Subscription subscription : subscriptions) {
            synchronized (subscription) {
                if (first > subscription.lastSeq + 1) {
                    catchUp(subscription);
                }
                for (JsonNode event : docketEvents) {
                    sendEvent(subscription, event);
                }
            }
        }
    }

    private void catchUp(Subscription subscription) {
        while (subscription.session.isOpen()) {
            ArrayNode missed = events.after(subscription.registerId, subscription.lastSeq, BATCH);
            if (missed.isEmpty()) {
                return;
            }
            missed.forEach(event -> sendEvent(subscription, event));
        }
    }

    private void sendEvent(Subscription subscription, JsonNode event) {
        long seq = event.path("seq").asLong();
        if (seq != subscription.lastSeq + 1) {
            return; // already sent, or a later one that the next catch-up delivers in order
        }
        if (send(subscription.session, json.createObjectNode().put("type", "event").set("event", event).toString())) {
            subscription.lastSeq = seq;
        }
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        sessions.remove(session.getId());
        byRegister.values().forEach(subscriptions -> subscriptions.removeIf(s -> s.session.getId().equals(session.getId())));
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
