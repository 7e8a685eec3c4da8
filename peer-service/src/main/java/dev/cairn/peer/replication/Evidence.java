package dev.cairn.peer.replication;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import org.bson.Document;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.stereotype.Component;

/**
 * Evidence of divergence ({@code peer_evidence}): two dockets of one register at one height, each
 * validly signed by a sealing key of the register, with different hashes. Self-contained: anyone
 * can check both signatures. Stored once per (register, height, offered hash).
 */
@Component
public class Evidence {

    /** Two validly signed dockets at one height: the one this installation holds and the one a peer served. */
    public record Item(String registerId, long height, JsonNode held, JsonNode offered, String sourceNodeId, Instant observedAt) {
    }

    private final MongoCollection<Document> evidence;
    private final JsonMapper json;

    public Evidence(MongoDatabaseFactory databases, JsonMapper json) {
        this.evidence = databases.getMongoDatabase().getCollection("peer_evidence");
        this.json = json;
    }

    public void record(String registerId, long height, JsonNode held, JsonNode offered, String sourceNodeId) {
        String id = registerId + ":" + height + ":" + offered.path("hash").asString("");
        evidence.replaceOne(Filters.eq("_id", id), new Document("_id", id).append("registerId", registerId).append("height", height)
                .append("held", held.toString()).append("offered", offered.toString()).append("sourceNodeId", sourceNodeId)
                .append("observedAt", new Date()), new ReplaceOptions().upsert(true));
    }

    public List<Item> all() {
        return evidence.find().limit(1000).map(d -> new Item(d.getString("registerId"), d.get("height", Number.class).longValue(),
                json.readTree(d.getString("held")), json.readTree(d.getString("offered")), d.getString("sourceNodeId"),
                d.getDate("observedAt").toInstant())).into(new ArrayList<>());
    }
}
