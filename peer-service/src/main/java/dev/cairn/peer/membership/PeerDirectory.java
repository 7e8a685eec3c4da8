package dev.cairn.peer.membership;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.stereotype.Component;

import dev.cairn.peer.config.PeerProperties;
import dev.cairn.peer.identity.NodeIdentity;
import dev.cairn.peer.protocol.PeerRefusal;

/**
 * The installations this one knows ({@code peers}, shared by every replica): each with its
 * NodeId and key, its address, when it was last heard from and how long a round trip took, the
 * registers it advertises, and its penalties. A peer is admitted if its NodeId is allowed
 * ({@code cairn.peer.allow}), or, in development, on first use. A peer learnt from another's
 * list stays {@code unverified} until it has answered this installation itself.
 *
 * <p>Its state follows from when it was last heard from: {@code alive}, then {@code suspect}
 * after {@code suspect-after}, {@code dead} after {@code dead-after}; it is forgotten after
 * {@code forget-after} unless it is a seed.
 */
@Component
public class PeerDirectory {

    public enum State { UNVERIFIED, ALIVE, SUSPECT, DEAD, BANNED }

    /** A peer as known here. */
    public record Peer(String nodeId, String publicKey, URI url, boolean seed, boolean verified, State state, Instant firstSeen,
            Instant lastSeen, Long roundTripMillis, String lastError, List<JsonNode> registers, Instant bannedUntil, long refusals,
            String lastRefusal) {
    }

    private final MongoCollection<Document> peers;
    private final PeerProperties properties;
    private final NodeIdentity self;
    private final JsonMapper json;
    private final Clock clock;

    public PeerDirectory(MongoDatabaseFactory databases, PeerProperties properties, NodeIdentity self, JsonMapper json, Clock clock) {
        this.peers = databases.getMongoDatabase().getCollection("peers");
        this.properties = properties;
        this.self = self;
        this.json = json;
        this.clock = clock;
    }

    /** Whether this NodeId may talk to this installation. */
    public boolean allowed(String nodeId) {
        return !self.nodeId().equals(nodeId) && (properties.trustOnFirstUse() || properties.allow().contains(nodeId));
    }

    /** @throws dev.cairn.platform.problem.ApiException 403 when the node is not allowed or is banned */
    public void requireAdmitted(String nodeId) {
        if (!allowed(nodeId)) {
            throw PeerRefusal.forbidden("unknown-node", "Node " + nodeId + " is not allowed to talk to this installation");
        }
        find(nodeId).filter(p -> p.state() == State.BANNED)
                .ifPresent(p -> {
                    throw PeerRefusal.forbidden("banned-node", "Node " + nodeId + " is banned until " + p.bannedUntil());
                });
    }

    public Optional<Peer> find(String nodeId) {
        return Optional.ofNullable(peers.find(Filters.eq("_id", nodeId)).first()).map(this::peer);
    }

    public List<Peer> all() {
        return peers.find().sort(new Document("_id", 1)).limit(10_000).map(this::peer).into(new ArrayList<>());
    }

    /** A peer heard from directly (it signed a request to this node, or an answer to it), with its address and advertised registers. */
    public void heard(String nodeId, String publicKey, URI url, Duration roundTrip, List<JsonNode> registers, boolean seed) {
        Instant now = clock.instant();
        List<Bson> updates = new ArrayList<>(List.of(Updates.set("publicKey", publicKey), Updates.set("verified", true),
                Updates.set("lastSeen", Date.from(now)), Updates.setOnInsert("firstSeen", Date.from(now)), Updates.unset("lastError")));
        if (url != null) {
            updates.add(Updates.set("url", url.toString()));
        }
        if (roundTrip != null) {
            updates.add(Updates.set("roundTripMillis", roundTrip.toMillis()));
        }
        if (registers != null) {
            // as JSON text, so that the signed heads in them are kept byte for byte
            updates.add(Updates.set("registers", registers.stream().map(JsonNode::toString).toList()));
        }
        if (seed) {
            updates.add(Updates.set("seed", true));
        }
        peers.updateOne(Filters.eq("_id", nodeId), Updates.combine(updates), new UpdateOptions().upsert(true));
    }

    /** Peers named in another peer's list: recorded as unverified when new and allowed. */
    public void learnt(String nodeId, String publicKey, URI url) {
        if (!allowed(nodeId) || url == null) {
            return;
        }
        peers.updateOne(Filters.eq("_id", nodeId), Updates.combine(Updates.setOnInsert("publicKey", publicKey),
                Updates.setOnInsert("url", url.toString()), Updates.setOnInsert("verified", false),
                Updates.setOnInsert("firstSeen", Date.from(clock.instant()))), new UpdateOptions().upsert(true));
    }

    public void failed(String nodeId, String error) {
        peers.updateOne(Filters.eq("_id", nodeId), Updates.combine(Updates.set("lastError", error), Updates.set("lastAttempt", new Date())));
    }

    /** A peer that served bad data or sent a bad message: counted, and banned for a while. */
    public void penalise(String nodeId, String reason) {
        Instant until = clock.instant().plus(properties.banFor());
        peers.updateOne(Filters.eq("_id", nodeId), Updates.combine(Updates.inc("refusals", 1L), Updates.set("lastRefusal", reason),
                Updates.set("bannedUntil", Date.from(until))));
    }

    /** An operator's ban, for a while or (null) until lifted. */
    public boolean ban(String nodeId, Duration duration) {
        Instant until = duration == null ? Instant.parse("9999-12-31T00:00:00Z") : clock.instant().plus(duration);
        return peers.updateOne(Filters.eq("_id", nodeId), Updates.set("bannedUntil", Date.from(until))).getMatchedCount() > 0;
    }

    public boolean unban(String nodeId) {
        return peers.updateOne(Filters.eq("_id", nodeId), Updates.unset("bannedUntil")).getMatchedCount() > 0;
    }

    /** Forgets peers dead for longer than {@code forget-after}, except seeds. */
    public long forgetDead() {
        Date before = Date.from(clock.instant().minus(properties.forgetAfter()));
        return peers.deleteMany(Filters.and(Filters.ne("seed", true), Filters.lt("lastSeen", before))).getDeletedCount();
    }

    public State state(Document peer) {
        Instant now = clock.instant();
        Date banned = peer.getDate("bannedUntil");
        if (banned != null && banned.toInstant().isAfter(now)) {
            return State.BANNED;
        }
        Date lastSeen = peer.getDate("lastSeen");
        if (!peer.getBoolean("verified", false) || lastSeen == null) {
            return State.UNVERIFIED;
        }
        Duration silent = Duration.between(lastSeen.toInstant(), now);
        if (silent.compareTo(properties.suspectAfter()) < 0) {
            return State.ALIVE;
        }
        return silent.compareTo(properties.deadAfter()) < 0 ? State.SUSPECT : State.DEAD;
    }

    private Peer peer(Document d) {
        List<JsonNode> registers = new ArrayList<>();
        List<String> stored = d.getList("registers", String.class);
        if (stored != null) {
            stored.forEach(r -> registers.add(json.readTree(r)));
        }
        Number rtt = d.get("roundTripMillis", Number.class);
        Number refusals = d.get("refusals", Number.class);
        return new Peer(d.getString("_id"), d.getString("publicKey"), d.getString("url") == null ? null : URI.create(d.getString("url")),
                d.getBoolean("seed", false), d.getBoolean("verified", false), state(d), instant(d, "firstSeen"), instant(d, "lastSeen"),
                rtt == null ? null : rtt.longValue(), d.getString("lastError"), registers, instant(d, "bannedUntil"),
                refusals == null ? 0 : refusals.longValue(), d.getString("lastRefusal"));
    }

    private static Instant instant(Document d, String field) {
        Date date = d.getDate(field);
        return date == null ? null : date.toInstant();
    }
}
