package dev.cairn.platform.workflow;

/**
 * Something wrong with (or worth knowing about) a blueprint or the data of an action, at a JSON
 * Pointer (RFC 6901) into the document it concerns.
 */
public record Problem(String pointer, String message) {

    /** The JSON Pointer of a path: each segment escaped ({@code ~} as {@code ~0}, {@code /} as {@code ~1}). */
    public static String at(Object... segments) {
        StringBuilder pointer = new StringBuilder();
        for (Object segment : segments) {
            pointer.append('/').append(String.valueOf(segment).replace("~", "~0").replace("/", "~1"));
        }
        return pointer.toString();
    }

    /** A pointer one segment deeper. */
    public static String child(String pointer, Object segment) {
        return pointer + at(segment);
    }
}
