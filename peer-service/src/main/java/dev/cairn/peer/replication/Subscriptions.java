package dev.cairn.peer.replication;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;

import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.stereotype.Component;

/**
 * The registers this installation replicates from others ({@code peer_subscriptions}): the
 * source node, what was pinned at subscription (the home's NodeId and the genesis docket's
 * hash), and the state of the replication. The stored height is never kept here: the replica
 * register's own chain is where replication resumes.
 */
@Component
public class Subscriptions {

    /**
     * {@code syncing}: catching up in batches; {@code following}: caught up, waiting for new
     * dockets; {@code stalled}: the source cannot be reached or served bad data (retried);
     * {@code diverged}: two validly signed dockets at one height (stopped until an operator
     * decides); {@code stopped}: unsubscribed (the replica is kept).
     */
    public enum State { SYNCING, FOLLOWING, STALLED, DIVERGED, STOPPED }

    /** One subscription. */
    public record Subscription(String registerId, String organizationId, String sourceNodeId, String homeNodeId, String genesisHash,
            State state, long localHeight, long remoteHeight, Instant remoteSeenAt, Instant caughtUpAt, long dockets, long transactions,
            String lastError, Instant lastErrorAt, Instant createdAt, String createdBy) {
    }

    private final MongoCollection<Document> subscriptions;
    private final Clock clock;

    public Subscriptions(MongoDatabaseFactory databases, Clock clock) {
        this.subscriptions = databases.getMongoDatabase().getCollection("peer_subscriptions");
        this.clock = clock;
    }

    /** @return false when the register is subscribed to already */
    public boolean create(String registerId, String organizationId, String sourceNodeId, String homeNodeId, String genesisHash, String by) {
        Date now = Date.from(clock.instant());
        try {
            subscriptions.insertOne(new Document("_id", registerId).append("organizationId", organizationId).append("sourceNodeId", sourceNodeId)
                    .append("homeNodeId", homeNodeId).append("genesisHash", genesisHash).append("state", State.SYNCING.name())
                    .append("localHeight", -1L).append("remoteHeight", -1L).append("dockets", 0L).append("transactions", 0L)
                    .append("createdAt", now).append("createdBy", by));
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    public Optional<Subscription> find(String registerId) {
        return Optional.ofNullable(subscriptions.find(Filters.eq("_id", registerId)).first()).map(Subscriptions::of);
    }

    public List<Subscription> all() {
        return subscriptions.find().limit(10_000).map(Subscriptions::of).into(new ArrayList<>());
    }

    /** Those replication works on: neither diverged nor stopped. */
    public List<Subscription> active() {
        return subscriptions.find(Filters.in("state", State.SYNCING.name(), State.FOLLOWING.name(), State.STALLED.name())).limit(10_000)
                .map(Subscriptions::of).into(new ArrayList<>());
    }

    /** Progress after a batch stored (or none): heights, counts, state; clears the last error. */
    public void progressed(String registerId, State state, long localHeight, long remoteHeight, int dockets, int transactions) {
        Date now = Date.from(clock.instant());
        List<Bson> updates = new ArrayList<>(List.of(Updates.set("localHeight", localHeight), Updates.max("remoteHeight", remoteHeight),
                Updates.set("remoteSeenAt", now), Updates.inc("dockets", (long) dockets), Updates.inc("transactions", (long) transactions),
                Updates.unset("lastError")));
        if (state == State.FOLLOWING) {
            updates.add(Updates.set("caughtUpAt", now));
        }
        updates.add(Updates.set("state", state.name()));
        // an operator's stop or a divergence found by another replica stands
        subscriptions.updateOne(Filters.and(Filters.eq("_id", registerId), Filters.in("state", State.SYNCING.name(), State.FOLLOWING.name(),
                State.STALLED.name())), Updates.combine(updates));
    }

    public void failed(String registerId, State state, String error) {
        subscriptions.updateOne(Filters.and(Filters.eq("_id", registerId), Filters.in("state", State.SYNCING.name(), State.FOLLOWING.name(),
                State.STALLED.name())), Updates.combine(Updates.set("state", state.name()), Updates.set("lastError", error),
                Updates.set("lastErrorAt", Date.from(clock.instant()))));
    }

    public boolean setState(String registerId, State state) {
        return subscriptions.updateOne(Filters.eq("_id", registerId), Updates.set("state", state.name())).getMatchedCount() > 0;
    }

    private static Subscription of(Document d) {
        return new Subscription(d.getString("_id"), d.getString("organizationId"), d.getString("sourceNodeId"), d.getString("homeNodeId"),
                d.getString("genesisHash"), State.valueOf(d.getString("state")), number(d, "localHeight"), number(d, "remoteHeight"),
                instant(d, "remoteSeenAt"), instant(d, "caughtUpAt"), number(d, "dockets"), number(d, "transactions"), d.getString("lastError"),
                instant(d, "lastErrorAt"), instant(d, "createdAt"), d.getString("createdBy"));
    }

    private static long number(Document d, String field) {
        Number n = d.get(field, Number.class);
        return n == null ? 0 : n.longValue();
    }

    private static Instant instant(Document d, String field) {
        Date date = d.getDate(field);
        return date == null ? null : date.toInstant();
    }
}
