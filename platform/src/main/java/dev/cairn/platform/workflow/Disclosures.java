package dev.cairn.platform.workflow;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * Which parts of a step's data each participant receives. A disclosure lists JSON Pointers
 * (RFC 6901) into the data: {@code /amount}, {@code /buyer/name}; {@code /*} (also {@code #/*},
 * {@code /} or the empty pointer, as in the reference) discloses every top-level field. A leading
 * {@code #} is dropped. A pointer to a field the data does not have discloses nothing.
 */
public final class Disclosures {

    private Disclosures() {
    }

    /** What is wrong with a disclosure pointer, or null. */
    public static String pointerProblem(String pointer) {
        String p = normalise(pointer);
        if (p == null) {
            return null; // everything
        }
        if (!p.startsWith("/")) {
            return "a data pointer is /* or a JSON Pointer starting with /";
        }
        for (int i = 0; i < p.length(); i++) {
            if (p.charAt(i) == '~' && (i + 1 >= p.length() || (p.charAt(i + 1) != '0' && p.charAt(i + 1) != '1'))) {
                return "in a JSON Pointer, ~ is followed by 0 or 1";
            }
        }
        return null;
    }

    /**
     * The values the pointers select from the data, keyed by pointer (every top-level field for
     * {@code /*}, by name), in the order the pointers give.
     */
    public static Map<String, JsonNode> select(JsonNode data, List<String> pointers) {
        Map<String, JsonNode> selected = new LinkedHashMap<>();
        for (String pointer : pointers) {
            String p = normalise(pointer);
            if (p == null) {
                // in the order of canonical JSON, so that whoever reads the data back from its canonical form selects the same
                data.propertyNames().stream().sorted().forEach(name -> selected.put(Problem.at(name), data.get(name)));
            } else {
                JsonNode value = data.at(p);
                if (!value.isMissingNode()) {
                    selected.put(p, value);
                }
            }
        }
        return selected;
    }

    /** The pointer without a leading {@code #}; null for the ones that mean everything. */
    private static String normalise(String pointer) {
        String p = pointer.strip();
        if (p.startsWith("#")) {
            p = p.substring(1);
        }
        return p.isEmpty() || p.equals("/") || p.equals("/*") ? null : p;
    }
}
