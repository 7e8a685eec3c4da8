package dev.cairn.validator.sealing;

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

import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.stereotype.Component;

import dev.cairn.platform.instance.InstanceIdentity;
import dev.cairn.validator.config.ValidatorProperties;

/**
 * One validator replica per register holds its lease, a document in the {@code leases}
 * collection with the holder, an expiry and an epoch. The holder renews it every
 * {@code renew-every}; when it stops renewing (it died, or lost MongoDB), any replica may take
 * it once it has expired, and taking it over raises the epoch. The epoch goes with every docket
 * the holder writes, and the register refuses dockets of an older epoch, so a holder that lost
 * its lease without noticing cannot keep writing.
 *
 * <p>Expiry is judged by each replica's clock: replicas on different hosts need synchronised
 * clocks (NTP), and their skew adds to the takeover time.
 */
@Component
public class Leases {

    /** A lease this replica holds, valid by its own reckoning until {@code validUntil}. */
    public record Lease(String registerId, long epoch, Instant validUntil, Instant renewedAt) {
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

    public Leases(MongoDatabaseFactory databases, ValidatorProperties properties, InstanceIdentity identity, Clock clock) {
        this.leases = databases.getMongoDatabase().getCollection("leases");
        this.clock = clock;
        this.ttl = properties.lease().ttl();
        this.renewEvery = properties.lease().renewEvery();
        // unique per process: a restarted replica does not inherit its predecessor's leases
        this.holder = identity.id() + "#" + UUID.randomUUID().toString().substring(0, 8);
    }

    public String holder() {
        return holder;
    }

    /** The lease on the register if this replica holds it (renewing or taking it as due), or empty. */
    public Optional<Lease> hold(String registerId) {
        Instant now = clock.instant();
        Lease current = held.get(registerId);
        if (current != null && now.isBefore(current.validUntil()) && now.isBefore(current.renewedAt().plus(renewEvery))) {
            return Optional.of(current);
        }
        Instant elsewhere = heldElsewhere.get(registerId);
        if (current == null && elsewhere != null && now.isBefore(elsewhere)) {
            return Optional.empty();
        }
        Date expiry = Date.from(now.plus(ttl));
        // the margin keeps this replica from writing in the last moments of a lease it may not get renewed
        Instant validUntil = now.plus(ttl).minus(ttl.dividedBy(5));
        FindOneAndUpdateOptions after = new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER);
        Document renewed = current == null ? null : leases.findOneAndUpdate(Filters.and(Filters.eq("_id", registerId),
                Filters.eq("holder", holder), Filters.eq("epoch", current.epoch())), Updates.set("expiresAt", expiry), after);
        if (renewed != null) {
            return Optional.of(keep(registerId, renewed, validUntil, now));
        }
        held.remove(registerId);
        if (current != null) {
            log.warn("Lost the lease on register {} (epoch {})", registerId, current.epoch());
        }
        Document expired = leases.find(Filters.eq("_id", registerId)).first();
        if (expired != null && holder.equals(expired.getString("holder"))) {
            // this replica's own lease that it stopped tracking (its epoch was raised): renew it as it is
            Document own = leases.findOneAndUpdate(Filters.and(Filters.eq("_id", registerId), Filters.eq("holder", holder),
                    Filters.eq("epoch", expired.get("epoch"))), Updates.set("expiresAt", expiry), after);
            return own == null ? Optional.empty() : Optional.of(keep(registerId, own, validUntil, now));
        }
        if (expired != null && !expired.getDate("expiresAt").toInstant().isBefore(now)) {
            // asked again at expiry, or sooner if the holder hands it back (at shutdown)
            Instant until = expired.getDate("expiresAt").toInstant();
            heldElsewhere.put(registerId, until.isBefore(now.plus(renewEvery)) ? until : now.plus(renewEvery));
            return Optional.empty();
        }
        if (expired != null) {
            Document taken = leases.findOneAndUpdate(Filters.and(Filters.eq("_id", registerId), Filters.eq("holder", expired.getString("holder")),
                            Filters.eq("epoch", expired.get("epoch")), Filters.lt("expiresAt", Date.from(now))),
                    Updates.combine(Updates.set("holder", holder), Updates.set("expiresAt", expiry), Updates.inc("epoch", 1L),
                            Updates.set("takenAt", Date.from(now))), after);
            if (taken != null) {
                log.info("Took over the lease on register {} from {} (epoch {}, expired {} ago)", registerId, expired.getString("holder"),
                        taken.get("epoch"), Duration.between(expired.getDate("expiresAt").toInstant(), now));
                return Optional.of(keep(registerId, taken, validUntil, now));
            }
            return Optional.empty();
        }
        try {
            Document created = new Document("_id", registerId).append("holder", holder).append("epoch", 1L).append("expiresAt", expiry)
                    .append("takenAt", Date.from(now));
            leases.insertOne(created);
            log.info("Took the lease on register {} (epoch 1)", registerId);
            return Optional.of(keep(registerId, created, validUntil, now));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            return Optional.empty(); // another replica holds it
        }
    }

    /** A lease as stored, for operators. */
    public record Stored(String registerId, String holder, long epoch, Instant expiresAt, Instant takenAt) {
    }

    /** Every lease, or one register's. */
    public java.util.List<Stored> stored(String registerId) {
        return leases.find(registerId == null ? new Document() : Filters.eq("_id", registerId)).limit(1000)
                .map(d -> new Stored(d.getString("_id"), d.getString("holder"), d.get("epoch", Number.class).longValue(),
                        d.getDate("expiresAt").toInstant(), d.getDate("takenAt") == null ? null : d.getDate("takenAt").toInstant()))
                .into(new java.util.ArrayList<>());
    }

    /** Whether this replica may still write under the lease. */
    public boolean valid(Lease lease) {
        Lease current = held.get(lease.registerId());
        return current != null && current.epoch() == lease.epoch() && clock.instant().isBefore(current.validUntil());
    }

    /**
     * The register has seen a higher epoch than this lease's (the leases were reset or restored
     * from a backup): if this replica still holds the lease, its epoch is raised above the
     * register's; otherwise the lease is forgotten.
     */
    public void raiseAbove(String registerId, long registerEpoch) {
        Lease current = held.remove(registerId);
        if (current == null) {
            return;
        }
        Document raised = leases.findOneAndUpdate(Filters.and(Filters.eq("_id", registerId), Filters.eq("holder", holder),
                        Filters.eq("epoch", current.epoch())), Updates.max("epoch", registerEpoch + 1),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        if (raised != null) {
            log.warn("Register {} had seen lease epoch {}; this replica's lease now has epoch {}", registerId, registerEpoch,
                    raised.get("epoch"));
        }
    }

    /** Hands back every lease at shutdown, so that another replica takes over at once. */
    public void releaseAll() {
        for (String registerId : held.keySet()) {
            try {
                leases.updateOne(Filters.and(Filters.eq("_id", registerId), Filters.eq("holder", holder)),
                        Updates.set("expiresAt", Date.from(clock.instant().minusSeconds(1))));
            } catch (RuntimeException e) {
                log.warn("Could not release the lease on register {}: {}", registerId, e.getMessage());
            }
        }
        held.clear();
    }

    private Lease keep(String registerId, Document lease, Instant validUntil, Instant now) {
        heldElsewhere.remove(registerId);
        Lease kept = new Lease(registerId, lease.get("epoch", Number.class).longValue(), validUntil, now);
        held.put(registerId, kept);
        return kept;
    }
}
