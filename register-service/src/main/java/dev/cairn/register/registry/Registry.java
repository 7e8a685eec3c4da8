package dev.cairn.register.registry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;

import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.stereotype.Component;
import dev.cairn.ledger.ObjectIds;

/** The registry: one document per register in the {@code registers} collection of the default database. */
@Component
public class Registry {

    private final MongoCollection<Document> registers;

    public Registry(MongoDatabaseFactory databases) {
        this.registers = databases.getMongoDatabase().getCollection("registers");
        registers.createIndex(Indexes.ascending("organizationId", "createdAt"));
    }

    public Register create(String organizationId, String name, String description, String createdBy) {
        Document document = awaitingGenesis(ObjectIds.next(), organizationId, name, description, createdBy);
        registers.insertOne(document);
        return Register.of(document);
    }

    /**
     * Creates a read-only replica of a register sealed elsewhere, under the home's id; empty when a
     * register with that id exists already (a replica or not).
     */
    public Optional<Register> createReplica(String id, String organizationId, String name, String description, Register.Replica replica,
            String createdBy) {
        Document document = awaitingGenesis(id, organizationId, name, description, createdBy).append("replica", replica.toDocument());
        try {
            registers.insertOne(document);
        } catch (com.mongodb.MongoWriteException e) {
            if (e.getError().getCategory() == com.mongodb.ErrorCategory.DUPLICATE_KEY) {
                return Optional.empty();
            }
            throw e;
        }
        return Optional.of(Register.of(document));
    }

    /** A new register's document: awaiting its genesis docket, at height -1. */
    private static Document awaitingGenesis(String id, String organizationId, String name, String description, String createdBy) {
        Date now = new Date();
        return new Document("_id", id).append("organizationId", organizationId).append("name", name).append("description", description)
                .append("status", Register.Status.AWAITING_GENESIS.name()).append("height", -1L).append("latestDocketHash", null)
                .append("createdBy", createdBy).append("createdAt", now).append("updatedAt", now);
    }

    public Optional<Register> find(String id) {
        return Optional.ofNullable(registers.find(Filters.eq("_id", id)).first()).map(Register::of);
    }

    public List<Register> ofOrganization(String organizationId) {
        return registers.find(Filters.eq("organizationId", organizationId)).sort(Sorts.ascending("createdAt")).map(Register::of)
                .into(new ArrayList<>());
    }

    public Optional<Register> rename(String id, String name, String description) {
        List<Bson> updates = new ArrayList<>();
        if (name != null) {
            updates.add(Updates.set("name", name));
        }
        if (description != null) {
            updates.add(Updates.set("description", description));
        }
        if (!updates.isEmpty()) {
            updates.add(Updates.set("updatedAt", new Date()));
            registers.updateOne(Filters.eq("_id", id), Updates.combine(updates));
        }
        return find(id);
    }

    /**
     * Records that a validator holding lease {@code epoch} writes to the register, and returns the
     * highest epoch recorded: higher than {@code epoch} when the caller's lease is stale.
     */
    public long fence(String id, long epoch) {
        Document after = registers.findOneAndUpdate(Filters.eq("_id", id), Updates.max("fencingEpoch", epoch),
                new com.mongodb.client.model.FindOneAndUpdateOptions().returnDocument(com.mongodb.client.model.ReturnDocument.AFTER));
        return after == null ? epoch : after.get("fencingEpoch", Number.class).longValue();
    }

    /**
     * Registers sealed here in this status, oldest first: for Cairn's services (e.g. validators
     * sealing genesis dockets). Replicas are never listed: their dockets are sealed on their home.
     */
    public List<Register> withStatus(Register.Status status, int limit) {
        return registers.find(Filters.and(Filters.eq("status", status.name()), Filters.eq("replica", null))).sort(Sorts.ascending("createdAt"))
                .limit(limit).map(Register::of).into(new ArrayList<>());
    }

    /** Keeps a signed tree head if it covers more dockets than the one kept; heads never go back. */
    public void recordSignedHead(String id, long treeSize, String head) {
        registers.updateOne(Filters.and(Filters.eq("_id", id), Filters.or(Filters.exists("signedHeadSize", false),
                Filters.lt("signedHeadSize", treeSize))), Updates.combine(Updates.set("signedHeadSize", treeSize), Updates.set("signedHead", head)));
    }

    /** The latest signed tree head kept (its canonical JSON), if any. */
    public Optional<String> signedHead(String id) {
        return Optional.ofNullable(registers.find(Filters.eq("_id", id)).projection(new Document("signedHead", 1)).first())
                .map(d -> d.getString("signedHead"));
    }

    /** Moves the register's head forward to a sealed docket; never backwards. */
    public void advance(String id, long height, String docketHash) {
        registers.updateOne(Filters.and(Filters.eq("_id", id), Filters.lt("height", height)),
                Updates.combine(Updates.set("height", height), Updates.set("latestDocketHash", docketHash),
                        Updates.set("status", Register.Status.ONLINE.name()), Updates.set("updatedAt", Date.from(Instant.now()))));
    }
}
