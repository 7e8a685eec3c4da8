package dev.cairn.ledger;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
        return string(value).getBytes(StandardCharsets.UTF_8);
    }

    public static String string(JsonNode value) {
        StringBuilder out = new StringBuilder(256);
        write(value, out);
        return out.toString();
    }

    /** The canonical form of a JSON object without some of its members (those a signature or hash leaves out). */
    public static byte[] bytesWithout(JsonNode object, Collection<String> leftOut) {
        if (!object.isObject()) {
            throw new IllegalArgumentException("not a JSON object: " + object.getNodeType());
        }
        StringBuilder out = new StringBuilder(256);
        writeObject(object, leftOut, out);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(JsonNode node, StringBuilder out) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            out.append("null");
        } else if (node.isObject()) {
            writeObject(node, List.of(), out);
        } else if (node.isArray()) {
            out.append('[');
            int i = 0;
            for (JsonNode element : node.values()) {
                if (i++ > 0) {
                    out.append(',');
                }
                write(element, out);
            }
            out.append(']');
        } else if (node.isString()) {
            string(node.stringValue(), out);
        } else if (node.isBoolean()) {
            out.append(node.booleanValue());
        } else if (node.isNumber()) {
            if (node.isIntegralNumber() && node.canConvertToLong() && Math.abs(node.longValue()) <= MAX_EXACT) {
                out.append(node.longValue()); // a double holds it exactly, and ECMAScript prints it as its digits
            } else {
                out.append(number(node.isIntegralNumber() ? node.bigIntegerValue().doubleValue() : node.doubleValue()));
            }
        } else {
            throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
        }
    }

    private static void writeObject(JsonNode node, Collection<String> leftOut, StringBuilder out) {
        List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.size());
        for (Map.Entry<String, JsonNode> member : node.properties()) {
            if (!leftOut.contains(member.getKey())) {
                members.add(member);
            }
        }
        members.sort(Map.Entry.comparingByKey()); // String order is UTF-16 code unit order
        out.append('{');
        for (int i = 0; i < members.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            string(members.get(i).getKey(), out);
            out.append(':');
            write(members.get(i).getValue(), out);
        }
        out.append('}');
    }

    private static void string(String value, StringBuilder out) {
        out.append('"');
        escape(value, out);
        out.append('"');
    }

    /**
     * The body of a JSON string for {@code value}, with the minimal escapes of RFC 8785:
     * quote, backslash, the short forms of control characters that have one, and
     * a six-character hex escape (backslash, u, four digits) for the rest.
     */
    public static void escape(String value, StringBuilder out) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
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
