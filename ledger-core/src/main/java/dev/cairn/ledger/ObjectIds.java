package dev.cairn.ledger;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The ids Cairn gives registers, blueprints and instances: 32 lower-case hex digits, a random
 * UUID without its dashes. Every place that makes or checks one uses this class.
 */
public final class ObjectIds {

    private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{32}");

    private ObjectIds() {
    }

    /** A new random id. */
    public static String next() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /** Whether the text has the form of an id (it may still name nothing). */
    public static boolean isValid(String text) {
        return text != null && FORMAT.matcher(text).matches();
    }
}
