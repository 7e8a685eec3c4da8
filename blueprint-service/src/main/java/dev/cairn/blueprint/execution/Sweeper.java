package dev.cairn.blueprint.execution;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

import dev.cairn.blueprint.config.BlueprintProperties;
import dev.cairn.blueprint.instances.InstanceStore;
import dev.cairn.platform.instance.InstanceIdentity;

/**
 * The catch-up that events cannot be relied on for: steps whose sealing or rejection no event
 * brought (Redis was away, a replica died between two writes), steps the validator never got,
 * and branches past their deadline. One replica at a time does it: the one holding the
 * {@code blueprint-sweep} lease in MongoDB (renewed each round, taken over once it expires).
 */
@Component
class Sweeper {

    private static final Logger log = LoggerFactory.getLogger(Sweeper.class);
    private static final String LEASE = "blueprint-sweep";
    private static final int BATCH = 100;

    private final InstanceStore store;
    private final StepProgress progress;
    private final BlueprintProperties properties;
    private final TaskScheduler scheduler;
    private final Clock clock;
    private final MongoCollection<Document> leases;
    private final String holder;

    Sweeper(InstanceStore store, StepProgress progress, BlueprintProperties properties, TaskScheduler scheduler, Clock clock,
            MongoDatabaseFactory databases, InstanceIdentity identity) {
        this.store = store;
        this.progress = progress;
        this.properties = properties;
        this.scheduler = scheduler;
        this.clock = clock;
        this.leases = databases.getMongoDatabase().getCollection("leases");
        this.holder = identity.id() + "#" + UUID.randomUUID().toString().substring(0, 8);
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        scheduler.scheduleWithFixedDelay(this::sweep, properties.sweepInterval());
    }

    void sweep() {
        try {
            if (!lease()) {
                return;
            }
            Instant now = clock.instant();
            for (InstanceStore.Instance instance : store.unsettled(now.minus(properties.resubmitAfter()), BATCH)) {
                progress.settle(instance, now.minus(properties.resubmitAfter()), now.minus(properties.settleAfter()));
            }
            for (InstanceStore.Instance instance : store.pastDeadline(now, BATCH)) {
                progress.timeOutIfLate(instance, now);
            }
        } catch (RuntimeException e) {
            log.warn("Sweep failed, trying again in {}: {}", properties.sweepInterval(), e.getMessage());
        }
    }

    /** Takes or renews the lease; false while another replica holds it. */
    private boolean lease() {
        Instant now = clock.instant();
        Date until = Date.from(now.plus(properties.sweepInterval().multipliedBy(3)));
        if (leases.updateOne(Filters.and(Filters.eq("_id", LEASE), Filters.or(Filters.eq("holder", holder), Filters.lt("expiresAt", Date.from(now)))),
                Updates.combine(Updates.set("holder", holder), Updates.set("expiresAt", until))).getMatchedCount() == 1) {
            return true;
        }
        if (leases.find(Filters.eq("_id", LEASE)).first() != null) {
            return false; // another replica holds it
        }
        try {
            leases.insertOne(new Document("_id", LEASE).append("holder", holder).append("expiresAt", until));
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false; // another replica took it first
            }
            throw e;
        }
    }
}
