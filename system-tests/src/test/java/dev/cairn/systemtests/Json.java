package dev.cairn.systemtests;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reading JSON answers in tests. */
final class Json {

    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }

    static JsonNode read(String json) {
        return MAPPER.readTree(json);
    }

    static String field(String json, String name) {
        JsonNode value = read(json).get(name);
        if (value == null) {
            throw new IllegalStateException("no '" + name + "' in " + json);
        }
        return value.asString();
    }
}
