package dev.cairn.register.registry;

import java.util.UUID;
import java.util.regex.Pattern;

import dev.cairn.platform.problem.ApiException;

/** Register ids: 32 lower-case hex digits (a random UUID without dashes). */
public final class RegisterId {

    private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{32}");

    private RegisterId() {
    }

    public static String next() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    public static boolean isValid(String id) {
        return id != null && FORMAT.matcher(id).matches();
    }

    /** The id, or a 400 when it cannot be a register id. */
    public static String require(String id) {
        if (!isValid(id)) {
            throw ApiException.badRequest("invalid-register-id", "A register id is 32 lower-case hex digits");
        }
        return id;
    }
}
