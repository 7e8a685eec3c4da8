package dev.cairn.ledger;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * The JSON Canonicalization Scheme (RFC 8785): object members sorted by their names' UTF-16
 * code units, no insignificant white space, strings with the minimal escapes, numbers as
 * ECMAScript prints IEEE 754 doubles. Any implementation of RFC 8785, in any language, turns
 * the same JSON value into the same bytes, so hashes over them can be checked anywhere.
 */
public final class CanonicalJson {

    /** 2^53: every integer up to it in magnitude is a double exactly. */
    private static final long MAX_EXACT = 1L << 53;

    private CanonicalJson() {
    }

    public static byte[] bytes(JsonNode value) {
        Utf8 out = new Utf8();
        write(value, out);
        return out.toArray();
    }

    public static String string(JsonNode value) {
        Utf8 out = new Utf8();
        write(value, out);
        return out.toUtf8String();
    }

    /** The canonical form of a JSON object without some of its members (those a signature or hash leaves out). */
    public static byte[] bytesWithout(JsonNode object, Collection<String> leftOut) {
        if (!object.isObject()) {
            throw new IllegalArgumentException("not a JSON object: " + object.getNodeType());
        }
        Utf8 out = new Utf8();
        writeObject(object, leftOut, out);
        return out.toArray();
    }

    private static void write(JsonNode node, Utf8 out) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            out.ascii("null");
        } else if (node.isObject()) {
            writeObject(node, List.of(), out);
        } else if (node.isArray()) {
            out.ascii('[');
            int i = 0;
            for (JsonNode element : node.values()) {
                if (i++ > 0) {
                    out.ascii(',');
                }
                write(element, out);
            }
            out.ascii(']');
        } else if (node.isString()) {
            out.string(node.stringValue());
        } else if (node.isBoolean()) {
            out.ascii(node.booleanValue() ? "true" : "false");
        } else if (node.isNumber()) {
            if (node.isIntegralNumber() && node.canConvertToLong() && Math.abs(node.longValue()) <= MAX_EXACT) {
                out.ascii(Long.toString(node.longValue())); // a double holds it exactly, and ECMAScript prints it as its digits
            } else {
                out.ascii(number(node.isIntegralNumber() ? node.bigIntegerValue().doubleValue() : node.doubleValue()));
            }
        } else {
            throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
        }
    }

    private static void writeObject(JsonNode node, Collection<String> leftOut, Utf8 out) {
        out.ascii('{');
        int i = 0;
        for (Map.Entry<String, JsonNode> member : membersInOrder(node, leftOut)) {
            if (i++ > 0) {
                out.ascii(',');
            }
            out.string(member.getKey());
            out.ascii(':');
            write(member.getValue(), out);
        }
        out.ascii('}');
    }

    /**
     * The object's members but those left out, sorted by name (UTF-16 code unit order, String's
     * own); as they are when they are in order already, as in an object parsed from canonical JSON.
     */
    private static Iterable<Map.Entry<String, JsonNode>> membersInOrder(JsonNode node, Collection<String> leftOut) {
        if (leftOut.isEmpty() && inOrder(node)) {
            return node.properties();
        }
        List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.size());
        for (Map.Entry<String, JsonNode> member : node.properties()) {
            if (!leftOut.contains(member.getKey())) {
                members.add(member);
            }
        }
        members.sort(Map.Entry.comparingByKey());
        return members;
    }

    private static boolean inOrder(JsonNode object) {
        String previous = null;
        for (String name : object.propertyNames()) {
            if (previous != null && previous.compareTo(name) >= 0) {
                return false;
            }
            previous = name;
        }
        return true;
    }

    /**
     * The canonical form written straight as UTF-8 into one growing array: a record of a few
     * hundred bytes and a peer's answer of megabytes alike are encoded once, not built as
     * characters, copied into a string and encoded again.
     */
    private static final class Utf8 {

        private byte[] bytes = new byte[512];
        private int length;

        void ascii(char c) {
            room(1);
            bytes[length++] = (byte) c;
        }

        void ascii(String text) {
            room(text.length());
            for (int i = 0; i < text.length(); i++) {
                bytes[length++] = (byte) text.charAt(i);
            }
        }

        /** A JSON string with RFC 8785's minimal escapes; a lone surrogate becomes '?', as Java's UTF-8 encoder writes it. */
        void string(String value) {
            int n = value.length();
            room(n + 2);
            bytes[length++] = '"';
            for (int i = 0; i < n; i++) {
                char c = value.charAt(i);
                if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                    if (length == bytes.length) {
                        room(1);
                    }
                    bytes[length++] = (byte) c;
                } else if (c < 0x80) {
                    ascii(shortEscape(c));
                } else if (c < 0x800) {
                    room(2);
                    bytes[length++] = (byte) (0xC0 | (c >> 6));
                    bytes[length++] = (byte) (0x80 | (c & 0x3F));
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
                    int code = Character.toCodePoint(c, value.charAt(++i));
                    room(4);
                    bytes[length++] = (byte) (0xF0 | (code >> 18));
                    bytes[length++] = (byte) (0x80 | ((code >> 12) & 0x3F));
                    bytes[length++] = (byte) (0x80 | ((code >> 6) & 0x3F));
                    bytes[length++] = (byte) (0x80 | (code & 0x3F));
                } else if (Character.isSurrogate(c)) {
                    ascii('?');
                } else {
                    room(3);
                    bytes[length++] = (byte) (0xE0 | (c >> 12));
                    bytes[length++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                    bytes[length++] = (byte) (0x80 | (c & 0x3F));
                }
            }
            ascii('"');
        }

        private void room(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }

        byte[] toArray() {
            return Arrays.copyOf(bytes, length);
        }

        String toUtf8String() {
            return new String(bytes, 0, length, StandardCharsets.UTF_8);
        }
    }

    /** The escape of an ASCII character that JSON strings cannot hold as it is: quote, backslash or a control character. */
    private static String shortEscape(char c) {
        return switch (c) {
            case '"' -> "\\\"";
            case '\\' -> "\\\\";
            case '\b' -> "\\b";
            case '\f' -> "\\f";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> String.format("\\u%04x", (int) c);
        };
    }

    /**
     * The body of a JSON string for {@code value}, with the minimal escapes of RFC 8785:
     * quote, backslash, the short forms of control characters that have one, and
     * a six-character hex escape (backslash, u, four digits) for the rest.
     */
    public static void escape(String value, StringBuilder out) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                out.append(shortEscape(c));
            } else {
                out.append(c);
            }
        }
    }

    /** ECMAScript's Number.prototype.toString for a finite double (RFC 8785 section 3.2.2.3). */
    static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("JSON has no representation for " + value);
        }
        if (value == 0) {
            return "0"; // also -0
        }
        String sign = value < 0 ? "-" : "";
        BigDecimal exact = new BigDecimal(Math.abs(value));
        BigDecimal shortest = null;
        for (int precision = 1; precision <= 17; precision++) {
            BigDecimal candidate = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
            if (candidate.doubleValue() == Math.abs(value)) {
                shortest = candidate;
                break;
            }
        }
        if (shortest == null) {
            shortest = exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
        }
        shortest = shortest.stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        int k = digits.length();
        int n = k - shortest.scale(); // value = 0.digits * 10^n
        StringBuilder out = new StringBuilder(sign);
        if (k <= n && n <= 21) {
            out.append(digits).append("0".repeat(n - k));
        } else if (0 < n && n <= 21) {
            out.append(digits, 0, n).append('.').append(digits, n, k);
        } else if (-6 < n && n <= 0) {
            out.append("0.").append("0".repeat(-n)).append(digits);
        } else {
            int exponent = n - 1;
            out.append(digits.charAt(0));
            if (k > 1) {
                out.append('.').append(digits, 1, k);
            }
            out.append('e').append(exponent < 0 ? "-" : "+").append(Math.abs(exponent));
        }
        return out.toString();
    }
}
