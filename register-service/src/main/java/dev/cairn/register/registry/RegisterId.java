package dev.cairn.register.registry;

import dev.cairn.ledger.ObjectIds;
import dev.cairn.platform.problem.ApiException;

/** Register ids: {@link ObjectIds}, 32 lower-case hex digits. */
public final class RegisterId {

    private RegisterId() {
    }

    public static String next() {
        return ObjectIds.next();
    }

    public static boolean isValid(String id) {
        return ObjectIds.isValid(id);
    }

    /** The id, or a 400 when it cannot be a register id. */
    public static String require(String id) {
        if (!isValid(id)) {
            throw ApiException.badRequest("invalid-register-id", "A register id is 32 lower-case hex digits");
        }
        return id;
    }
}
