package dev.cairn.peer.replication;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.stereotype.Component;

import dev.cairn.peer.clients.RegisterService;
import dev.cairn.peer.identity.NodeIdentity;

/**
 * The registers this installation offers to other installations ({@code peer_advertised}), as
 * their organisations' administrators chose. An advertisement is what a subscriber pins:
 *
 * <pre>{registerId, name, homeNodeId, genesisHash, height, head, sealingKeys}</pre>
 *
 * with {@code head} the latest signed tree head and {@code sealingKeys} the keys in force after
 * the latest docket; it travels inside this node's signed envelopes.
 */
@Component
public class Advertisements {

    /** A register offered to peers. */
    public record Advertised(String registerId, String organizationId, String advertisedBy, Instant advertisedAt) {
    }

    private static final Logger log = LoggerFactory.getLogger(Advertisements.class);

    private final MongoCollection<Document> advertised;
    private final RegisterService registers;
    private final NodeIdentity self;
    private final JsonMapper json;

    public Advertisements(MongoDatabaseFactory databases, RegisterService registers, NodeIdentity self, JsonMapper json) {
        this.advertised = databases.getMongoDatabase().getCollection("peer_advertised");
        this.registers = registers;
        this.self = self;
        this.json = json;
    }

    public void advertise(String registerId, String organizationId, String by) {
        advertised.replaceOne(Filters.eq("_id", registerId), new Document("_id", registerId).append("organizationId", organizationId)
                .append("advertisedBy", by).append("advertisedAt", new Date()), new ReplaceOptions().upsert(true));
    }

    public boolean withdraw(String registerId) {
        return advertised.deleteOne(Filters.eq("_id", registerId)).getDeletedCount() > 0;
    }

    public boolean isAdvertised(String registerId) {
        return advertised.find(Filters.eq("_id", registerId)).first() != null;
    }

    public List<Advertised> all() {
        return advertised.find().limit(10_000).map(d -> new Advertised(d.getString("_id"), d.getString("organizationId"),
                d.getString("advertisedBy"), d.getDate("advertisedAt").toInstant())).into(new ArrayList<>());
    }

    /** What peers are told of every advertised register whose genesis is sealed. */
    public List<JsonNode> current() {
        List<JsonNode> found = new ArrayList<>();
        for (Advertised a : all()) {
            try {
                of(a.registerId()).ifPresent(found::add);
            } catch (RuntimeException e) {
                log.warn("Register {} left out of this exchange: {}", a.registerId(), e.getMessage());
            }
        }
        return found;
    }

    /** The advertisement of one register, or empty when it is not sealed yet or not there. */
    public Optional<JsonNode> of(String registerId) {
        Optional<JsonNode> register = registers.register(registerId);
        if (register.isEmpty() || register.get().path("height").asLong(-1) < 0 || !register.get().path("replica").isNull()
                && !register.get().path("replica").isMissingNode()) {
            return Optional.empty();
        }
        Optional<JsonNode> genesis = registers.docket(registerId, 0);
        Optional<JsonNode> keys = registers.sealingKeys(registerId);
        if (genesis.isEmpty() || keys.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode ad = json.createObjectNode().put("registerId", registerId).put("name", register.get().path("name").asString(""))
                .put("homeNodeId", self.nodeId()).put("genesisHash", genesis.get().path("hash").asString())
                .put("height", register.get().path("height").asLong());
        registers.head(registerId).ifPresent(head -> ad.set("head", head));
        ad.set("sealingKeys", keys.get().path("sealingKeys"));
        return Optional.of(ad);
    }
}
