package dev.cairn.platform.ledger;

import java.util.List;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import tools.jackson.databind.JsonNode;

/**
 * The JSON Schema (draft 2020-12) an action's data must satisfy: the blueprint service checks
 * a schema when a blueprint is drafted, and the validator checks transaction data against it
 * before accepting a transaction. Schemas refer to nothing outside themselves: a {@code $ref}
 * to another document is not fetched.
 */
public final class DataSchema {

    private static final int MAX_PROBLEMS = 20;
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final Schema META_SCHEMA = REGISTRY.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));

    private final Schema schema;

    private DataSchema(Schema schema) {
        this.schema = schema;
    }

    /** What is wrong with a schema, or null when it is a valid draft 2020-12 schema. */
    public static String problemWith(JsonNode schema) {
        if (!schema.isObject() && !schema.isBoolean()) {
            return "a schema is a JSON object (or true or false)";
        }
        List<Error> errors = META_SCHEMA.validate(schema);
        if (!errors.isEmpty()) {
            return errors.get(0).toString();
        }
        try {
            REGISTRY.getSchema(schema).initializeValidators();
            return null;
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    /** @throws IllegalArgumentException when the schema is not valid */
    public static DataSchema of(JsonNode schema) {
        String problem = problemWith(schema);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return new DataSchema(REGISTRY.getSchema(schema));
    }

    /** One reason the data does not satisfy the schema: where in the data (a JSON Pointer) and what is wrong. */
    public record Violation(String pointer, String message) {
    }

    /**
     * Why the data does not satisfy the schema, each at the JSON Pointer of the value concerned (for
     * a missing required field, the field's own pointer); at most 20, none when it does.
     */
    public List<Violation> errors(JsonNode data) {
        return schema.validate(data).stream().limit(MAX_PROBLEMS).map(DataSchema::violation).toList();
    }

    private static Violation violation(Error error) {
        StringBuilder pointer = new StringBuilder();
        NodePath location = error.getInstanceLocation();
        for (int i = 0; location != null && i < location.getNameCount(); i++) {
            pointer.append('/').append(String.valueOf(location.getElement(i)).replace("~", "~0").replace("/", "~1"));
        }
        if ("required".equals(error.getKeyword()) && error.getProperty() != null) {
            pointer.append('/').append(error.getProperty().replace("~", "~0").replace("/", "~1"));
        }
        return new Violation(pointer.toString(), error.getMessage());
    }

    /** Why the data does not satisfy the schema (at most 20 reasons), or an empty list when it does. */
    public List<String> problems(JsonNode data) {
        return schema.validate(data).stream().limit(MAX_PROBLEMS).map(Error::toString).toList();
    }
}
