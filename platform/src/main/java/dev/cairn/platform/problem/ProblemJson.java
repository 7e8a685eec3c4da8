package dev.cairn.platform.problem;

import java.util.Map;

import org.springframework.http.HttpStatus;

import dev.cairn.ledger.CanonicalJson;

/**
 * Renders a problem+json document without a JSON library, for the places that answer before any
 * message converter runs (servlet filters, the gateway's edge filters and error handler).
 */
public final class ProblemJson {

    private ProblemJson() {
    }

    public static String render(HttpStatus status, String detail) {
        return render(status, null, status.getReasonPhrase(), detail, Map.of());
    }

    /**
     * @param type  problem type slug under {@link ApiException#TYPE_BASE}, or null for about:blank
     * @param extra additional members; values are rendered as JSON strings or numbers
     */
    public static String render(HttpStatus status, String type, String title, String detail, Map<String, ?> extra) {
        StringBuilder json = new StringBuilder(160);
        json.append("{\"type\":\"").append(type == null ? "about:blank" : escape(ApiException.TYPE_BASE + type)).append('"');
        json.append(",\"title\":\"").append(escape(title)).append('"');
        json.append(",\"status\":").append(status.value());
        if (detail != null) {
            json.append(",\"detail\":\"").append(escape(detail)).append('"');
        }
        extra.forEach((key, value) -> {
            json.append(",\"").append(escape(key)).append("\":");
            if (value instanceof Number) {
                json.append(value);
            } else {
                json.append('"').append(escape(String.valueOf(value))).append('"');
            }
        });
        return json.append('}').toString();
    }

    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        CanonicalJson.escape(text, out);
        return out.toString();
    }
}
