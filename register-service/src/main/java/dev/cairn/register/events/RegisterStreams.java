package dev.cairn.register.events;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

import org.springframework.web.socket.WebSocketSession;

import dev.cairn.platform.events.CallerHandshake;
import dev.cairn.platform.events.EventStreamSocket;
import dev.cairn.register.registry.RegisterAccess;

/**
 * {@code /ws/registers}: one stream per register, named {@code {"registerId": "..."}} in frames,
 * readable by whoever may read the register; its events are those of {@link RegisterEvents}.
 */
final class RegisterStreams implements EventStreamSocket.Streams {

    private final RegisterAccess access;
    private final RegisterEvents events;
    private final JsonMapper json;

    RegisterStreams(RegisterAccess access, RegisterEvents events, JsonMapper json) {
        this.access = access;
        this.events = events;
        this.json = json;
    }

    @Override
    public EventStreamSocket.Stream named(JsonNode frame) {
        String registerId = frame.path("registerId").asString("");
        return new EventStreamSocket.Stream(registerId, json.createObjectNode().put("registerId", registerId));
    }

    @Override
    public void authorize(WebSocketSession session, EventStreamSocket.Stream stream) {
        access.readable(CallerHandshake.caller(session), stream.key());
    }

    @Override
    public long headSeq(String registerId) {
        return events.headSeq(registerId);
    }

    @Override
    public ArrayNode after(String registerId, long afterSeq, int limit) {
        return events.after(registerId, afterSeq, limit);
    }
}
