package dev.cairn.blueprint.catalog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.stereotype.Component;

import dev.cairn.platform.ledger.CanonicalJson;

/** Blueprints in the {@code blueprints} collection; each action's schema is kept as its canonical JSON. */
@Component
class BlueprintStore {

    private final MongoCollection<Document> blueprints;
    private final JsonMapper json;

    BlueprintStore(MongoDatabaseFactory databases, JsonMapper json) {
        this.blueprints = databases.getMongoDatabase().getCollection("blueprints");
        this.json = json;
    }

    Blueprint create(String organizationId, String title, String description, List<Blueprint.Action> actions, String createdBy, Instant now) {
        Document document = new Document("_id", UUID.randomUUID().toString().replace("-", "")).append("organizationId", organizationId)
                .append("title", title).append("description", description).append("status", Blueprint.Status.DRAFT.name())
                .append("actions", actions(actions)).append("createdBy", createdBy).append("createdAt", Date.from(now))
                .append("updatedAt", Date.from(now)).append("publishedAt", null);
        blueprints.insertOne(document);
        return of(document);
    }

    Optional<Blueprint> find(String id) {
        return Optional.ofNullable(blueprints.find(Filters.eq("_id", id)).first()).map(this::of);
    }

    List<Blueprint> ofOrganization(String organizationId) {
        return blueprints.find(Filters.eq("organizationId", organizationId)).sort(Sorts.ascending("createdAt")).map(this::of)
                .into(new ArrayList<>());
    }

    /** Replaces a draft; false when it is published (or gone). */
    boolean replaceDraft(String id, String title, String description, List<Blueprint.Action> actions, Instant now) {
        return blueprints.updateOne(Filters.and(Filters.eq("_id", id), Filters.eq("status", Blueprint.Status.DRAFT.name())),
                Updates.combine(Updates.set("title", title), Updates.set("description", description), Updates.set("actions", actions(actions)),
                        Updates.set("updatedAt", Date.from(now)))).getModifiedCount() == 1;
    }

    /** Publishes a draft; publishing a published blueprint changes nothing. */
    void publish(String id, Instant now) {
        blueprints.updateOne(Filters.and(Filters.eq("_id", id), Filters.eq("status", Blueprint.Status.DRAFT.name())),
                Updates.combine(Updates.set("status", Blueprint.Status.PUBLISHED.name()), Updates.set("publishedAt", Date.from(now)),
                        Updates.set("updatedAt", Date.from(now))));
    }

    private static List<Document> actions(List<Blueprint.Action> actions) {
        return actions.stream().map(a -> new Document("id", a.id()).append("title", a.title())
                .append("dataSchema", CanonicalJson.string(a.dataSchema()))).toList();
    }

    private Blueprint of(Document d) {
        List<Blueprint.Action> actions = d.getList("actions", Document.class).stream()
                .map(a -> new Blueprint.Action(a.getString("id"), a.getString("title"), json.readTree(a.getString("dataSchema")))).toList();
        Date published = d.getDate("publishedAt");
        return new Blueprint(d.getString("_id"), d.getString("organizationId"), d.getString("title"), d.getString("description"),
                Blueprint.Status.valueOf(d.getString("status")), actions, d.getString("createdBy"), d.getDate("createdAt").toInstant(),
                d.getDate("updatedAt").toInstant(), published == null ? null : published.toInstant());
    }
}
