package dev.cairn.platform.lease;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


import dev.cairn.platform.instance.InstanceIdentity;

/**
 * Singleton work shared among a service's replicas: one replica at a time holds the lease on a
 * key (a register a validator seals, a subscription a peer service replicates), a document in a
 * MongoDB collection with the holder, an expiry and an epoch. The holder renews it every
 * {@code renewEvery}; when it stops renewing (it died, or lost MongoDB), any replica may take it
 * once it has expired, and taking it over raises the epoch. A holder hands its epoch to whatever
 * it writes under the lease, so that the receiver can refuse an older epoch: a holder that lost
 * its lease without noticing cannot keep writing.
 *
 * <p>Expiry is judged by each replica's clock: replicas on different hosts need synchronised
 * clocks (NTP), and their skew adds to the takeover time.
 */
public class Leases {

    /** A lease this replica holds, valid by its own reckoning until {@code validUntil}. */
    public record Lease(String key, long epoch, Instant validUntil, Instant renewedAt) {
    }

    private static final Logger log = LoggerFactory.getLogger(Leases.class);

    private final MongoCollection<Document> leases;
    private final Clock clock;
    private final Duration ttl;
    private final Duration renewEvery;
    private final String holder;
    private final Map<String, Lease> held = new ConcurrentHashMap<>();
    /** Leases another replica holds, until when: not asked about again before then. */
    private final Map<String, Instant> heldElsewhere = new ConcurrentHashMap<>();

    public Leases(MongoCollection<Document> leases, Duration ttl, Duration renewEvery, InstanceIdentity identity, Clock clock) {
        this.leases = leases;
        this.clock = clock;
        this.ttl = ttl;
        this.renewEvery = renewEvery;
        // unique per process: a restarted replica does not inherit its predecessor's leases
        this.holder = identity.id() + "#" + UUID.randomUUID().toString().substring(0, 8);
    }

    public String holder() {
        return holder;
    }

    /** The lease on the key if this replica holds it (renewing or taking it as due), or empty. */
    public Optional<Lease> hold(String key) {
        Instant now = clock.instant();
        Lease current = held.get(key);
        if (current != null && now.isBefore(current.validUntil()) && now.isBefore(current.renewedAt().plus(renewEvery))) {
            return Optional.of(current);
        }
        Instant elsewhere = heldElsewhere.get(key);
        if (current == null && elsewhere != null && now.isBefore(elsewhere)) {
            return Optional.empty();
        }
        Date expiry = Date.from(now.plus(ttl));
        // the margin keeps this replica from writing in the last moments of a lease it may not get renewed
        Instant validUntil = now.plus(ttl).minus(ttl.dividedBy(5));
        FindOneAndUpdateOptions after = new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER);
        Document renewed = current == null ? null : leases.findOneAndUpdate(Filters.and(Filters.eq("_id", key),
                Filters.eq("holder", holder), Filters.eq("epoch", current.epoch())), Updates.set("expiresAt", expiry), after);
        if (renewed != null) {
            return Optional.of(keep(key, renewed, validUntil, now));
        }
        held.remove(key);
        if (current != null) {
            log.warn("Lost the lease on {} (epoch {})", key, current.epoch());
        }
        Document expired = leases.find(Filters.eq("_id", key)).first();
        if (expired != null && holder.equals(expired.getString("holder"))) {
            // this replica's own lease that it stopped tracking (its epoch was raised): renew it as it is
            Document own = leases.findOneAndUpdate(Filters.and(Filters.eq("_id", key), Filters.eq("holder", holder),
                    Filters.eq("epoch", expired.get("epoch"))), Updates.set("expiresAt", expiry), after);
            return own == null ? Optional.empty() : Optional.of(keep(key, own, validUntil, now));
        }
        if (expired != null && !expired.getDate("expiresAt").toInstant().isBefore(now)) {
            // asked again at expiry, or sooner if the holder hands it back (at shutdown)
            Instant until = expired.getDate("expiresAt").toInstant();
            heldElsewhere.put(key, until.isBefore(now.plus(renewEvery)) ? until : now.plus(renewEvery));
            return Optional.empty();
        }
        if (expired != null) {
            Document taken = leases.findOneAndUpdate(Filters.and(Filters.eq("_id", key), Filters.eq("holder", expired.getString("holder")),
                            Filters.eq("epoch", expired.get("epoch")), Filters.lt("expiresAt", Date.from(now))),
                    Updates.combine(Updates.set("holder", holder), Updates.set("expiresAt", expiry), Updates.inc("epoch", 1L),
                            Updates.set("takenAt", Date.from(now))), after);
            if (taken != null) {
                log.info("Took over the lease on {} from {} (epoch {}, expired {} ago)", key, expired.getString("holder"),
                        taken.get("epoch"), Duration.between(expired.getDate("expiresAt").toInstant(), now));
                return Optional.of(keep(key, taken, validUntil, now));
            }
            return Optional.empty();
        }
        try {
            Document created = new Document("_id", key).append("holder", holder).append("epoch", 1L).append("expiresAt", expiry)
                    .append("takenAt", Date.from(now));
            leases.insertOne(created);
            log.info("Took the lease on {} (epoch 1)", key);
            return Optional.of(keep(key, created, validUntil, now));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            return Optional.empty(); // another replica holds it
        }
    }

    /** A lease as stored, for operators. */
    public record Stored(String key, String holder, long epoch, Instant expiresAt, Instant takenAt) {
    }

    /** Every lease (at most 1000), or one key's. */
    public java.util.List<Stored> stored(String key) {
        return leases.find(key == null ? new Document() : Filters.eq("_id", key)).limit(1000)
                .map(d -> new Stored(d.getString("_id"), d.getString("holder"), d.get("epoch", Number.class).longValue(),
                        d.getDate("expiresAt").toInstant(), d.getDate("takenAt") == null ? null : d.getDate("takenAt").toInstant()))
                .into(new java.util.ArrayList<>());
    }

    /** Whether this replica may still write under the lease. */
    public boolean valid(Lease lease) {
        Lease current = held.get(lease.key());
        return current != null && current.epoch() == lease.epoch() && clock.instant().isBefore(current.validUntil());
    }

    /**
     * The receiver of the holder's writes has seen a higher epoch than this lease's (the leases
     * were reset or restored from a backup): if this replica still holds the lease, its epoch is
     * raised above the one seen; otherwise the lease is forgotten.
     */
    public void raiseAbove(String key, long seenEpoch) {
        Lease current = held.remove(key);
        if (current == null) {
            return;
        }
        Document raised = leases.findOneAndUpdate(Filters.and(Filters.eq("_id", key), Filters.eq("holder", holder),
                        Filters.eq("epoch", current.epoch())), Updates.max("epoch", seenEpoch + 1),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        if (raised != null) {
            log.warn("{} had seen lease epoch {}; this replica's lease now has epoch {}", key, seenEpoch,
                    raised.get("epoch"));
        }
    }

    /** Hands back every lease at shutdown, so that another replica takes over at once. */
    public void releaseAll() {
        for (String key : held.keySet()) {
            try {
                leases.updateOne(Filters.and(Filters.eq("_id", key), Filters.eq("holder", holder)),
                        Updates.set("expiresAt", Date.from(clock.instant().minusSeconds(1))));
            } catch (RuntimeException e) {
                log.warn("Could not release the lease on {}: {}", key, e.getMessage());
            }
        }
        held.clear();
    }

    private Lease keep(String key, Document lease, Instant validUntil, Instant now) {
        heldElsewhere.remove(key);
        Lease kept = new Lease(key, lease.get("epoch", Number.class).longValue(), validUntil, now);
        held.put(key, kept);
        return kept;
    }
}
