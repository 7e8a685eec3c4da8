package dev.cairn.platform.web;

import dev.cairn.ledger.ObjectIds;
import dev.cairn.platform.problem.ApiException;

/** Object ids in requests: registers, blueprints, instances are {@link ObjectIds}, 32 lower-case hex digits. */
public final class Ids {

    private Ids() {
    }

    /** The id, or a 400 {@code invalid-<what>-id} when it cannot be the id of a {@code what}. */
    public static String require(String id, String what) {
        if (!ObjectIds.isValid(id)) {
            throw ApiException.badRequest("invalid-" + what + "-id", "A " + what + " id is 32 lower-case hex digits");
        }
        return id;
    }
}
