package dev.cairn.blueprint.catalog;

import java.time.Instant;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * A blueprint of an organisation: its actions, each with the JSON Schema (2020-12) its data must
 * satisfy. A draft may be replaced; a published blueprint never changes, so whoever checks data
 * against it (the validator, before sealing) gets the same answer every time.
 */
public record Blueprint(String id, String organizationId, String title, String description, Status status, List<Action> actions,
        String createdBy, Instant createdAt, Instant updatedAt, Instant publishedAt) {

    public enum Status {
        DRAFT,
        PUBLISHED
    }

    /** One action: its id (as transactions name it in {@code actionId}), a title and the schema of its data. */
    public record Action(String id, String title, JsonNode dataSchema) {
    }
}
