package dev.cairn.register.events;

import tools.jackson.databind.node.ArrayNode;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.cairn.platform.auth.Caller;
import dev.cairn.platform.problem.ApiException;
import dev.cairn.register.registry.RegisterAccess;

/** Backfill: the events a client missed, by sequence number. */
@RestController
class EventController {

    static final int MAX_EVENTS = 1_000;

    record EventsView(String registerId, long afterSeq, long headSeq, ArrayNode events) {
    }

    private final RegisterAccess access;
    private final RegisterEvents events;

    EventController(RegisterAccess access, RegisterEvents events) {
        this.access = access;
        this.events = events;
    }

    @GetMapping("/api/registers/{id}/events")
    EventsView after(Caller caller, @PathVariable String id, @RequestParam(defaultValue = "0") long afterSeq,
            @RequestParam(defaultValue = "500") int limit) {
        access.readable(caller, id);
        if (afterSeq < 0 || limit < 1) {
            throw ApiException.badRequest("invalid-page", "afterSeq must be >= 0 and limit >= 1");
        }
        return new EventsView(id, afterSeq, events.headSeq(id), events.after(id, afterSeq, Math.min(limit, MAX_EVENTS)));
    }
}
