package dev.cairn.blueprint.catalog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.stereotype.Component;

import dev.cairn.ledger.CanonicalJson;
import dev.cairn.ledger.ObjectIds;

/**
 * Blueprints: each organisation's drafts in {@code blueprints}, and the versions published from
 * them in {@code blueprint_versions}, keyed {@code <blueprint id>:<version>}. A version never
 * changes once written; the key makes two replicas publishing at the same moment write one
 * version each number. Documents are kept as the JSON text they arrived as, so the order of
 * calculations is kept too.
 */
@Component
public class BlueprintStore {

    /** A draft: the document being edited, and the latest version published from it (0 before any). */
    public record Draft(String id, String organizationId, String title, JsonNode document, int latestVersion, String createdBy,
            Instant createdAt, Instant updatedAt, Instant publishedAt) {
    }

    /** A published version: immutable. */
    public record Version(String blueprintId, String organizationId, int version, String title, JsonNode document, String publishedBy,
            Instant publishedAt) {
    }

    private final MongoCollection<Document> drafts;
    private final MongoCollection<Document> versions;
    private final JsonMapper json;

    BlueprintStore(MongoDatabaseFactory databases, JsonMapper json) {
        this.drafts = databases.getMongoDatabase().getCollection("blueprints");
        this.versions = databases.getMongoDatabase().getCollection("blueprint_versions");
        this.json = json;
        drafts.createIndex(Indexes.ascending("organizationId", "createdAt"));
        versions.createIndex(Indexes.ascending("blueprintId", "version"));
    }

    Draft create(String organizationId, String title, JsonNode document, String createdBy, Instant now) {
        Document d = new Document("_id", ObjectIds.next()).append("organizationId", organizationId)
                .append("title", title).append("document", json.writeValueAsString(document)).append("latestVersion", 0)
                .append("createdBy", createdBy).append("createdAt", Date.from(now)).append("updatedAt", Date.from(now))
                .append("publishedAt", null);
        drafts.insertOne(d);
        return draft(d);
    }

    public Optional<Draft> find(String id) {
        return Optional.ofNullable(drafts.find(Filters.eq("_id", id)).first()).map(this::draft);
    }

    List<Draft> ofOrganization(String organizationId) {
        return drafts.find(Filters.eq("organizationId", organizationId)).sort(Sorts.ascending("createdAt")).map(this::draft)
                .into(new ArrayList<>());
    }

    void replace(String id, String title, JsonNode document, Instant now) {
        drafts.updateOne(Filters.eq("_id", id), Updates.combine(Updates.set("title", title),
                Updates.set("document", json.writeValueAsString(document)), Updates.set("updatedAt", Date.from(now))));
    }

    public Optional<Version> version(String blueprintId, int version) {
        return Optional.ofNullable(versions.find(Filters.eq("_id", blueprintId + ":" + version)).first()).map(this::version);
    }

    List<Version> versions(String blueprintId) {
        return versions.find(Filters.eq("blueprintId", blueprintId)).sort(Sorts.ascending("version")).map(this::version)
                .into(new ArrayList<>());
    }

    /**
     * Publishes the draft's document as the next version, or answers the latest version when it
     * already holds this very document (publishing again changes nothing).
     */
    Version publish(Draft draft, String publishedBy, Instant now) {
        int next = draft.latestVersion() + 1;
        while (true) {
            Optional<Version> latest = next > 1 ? version(draft.id(), next - 1) : Optional.empty();
            if (latest.isPresent() && CanonicalJson.string(latest.get().document()).equals(CanonicalJson.string(draft.document()))) {
                return latest.get();
            }
            Document v = new Document("_id", draft.id() + ":" + next).append("blueprintId", draft.id()).append("version", next)
                    .append("organizationId", draft.organizationId()).append("title", draft.title())
                    .append("document", json.writeValueAsString(draft.document())).append("publishedBy", publishedBy)
                    .append("publishedAt", Date.from(now));
            try {
                versions.insertOne(v);
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
                next++; // another replica published this number a moment ago: compare with it, then take the next
                continue;
            }
            drafts.updateOne(Filters.eq("_id", draft.id()), Updates.combine(Updates.max("latestVersion", next), Updates.max("publishedAt", Date.from(now))));
            return version(v);
        }
    }

    private Draft draft(Document d) {
        Date published = d.getDate("publishedAt");
        String document = d.getString("document");
        return new Draft(d.getString("_id"), d.getString("organizationId"), d.getString("title"),
                document != null ? json.readTree(document) : legacy(d),
                d.getInteger("latestVersion", 0), d.getString("createdBy"), d.getDate("createdAt").toInstant(), d.getDate("updatedAt").toInstant(),
                published == null ? null : published.toInstant());
    }

    /**
     * A draft stored by the earlier catalogue (actions with one data schema each, no participants)
     * reads as its title and description only: it must be drafted again in the workflow model,
     * and {@code validate} says what it lacks.
     */
    private JsonNode legacy(Document d) {
        return json.createObjectNode().put("title", d.getString("title")).put("description", d.getString("description"));
    }

    private Version version(Document d) {
        return new Version(d.getString("blueprintId"), d.getString("organizationId"), d.getInteger("version"), d.getString("title"),
                json.readTree(d.getString("document")), d.getString("publishedBy"), d.getDate("publishedAt").toInstant());
    }
}
