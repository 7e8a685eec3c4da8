package dev.cairn.blueprint.instances;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.stereotype.Component;

import dev.cairn.platform.workflow.InstanceState;
import dev.cairn.platform.web.Page;

/**
 * Workflow instances and their steps, in MongoDB only: no replica keeps an instance in memory.
 *
 * <p>{@code instances} holds each instance and where it stands as far as the ledger has sealed
 * ({@code appliedSeq}, {@code sealedState}). {@code instance_steps} holds each step, keyed
 * {@code <instance>:<seq>}, with the signed transaction, the state it leads to and its status:
 * {@code submitting} until the validator has it, {@code pending} until it is sealed, then
 * {@code sealed}. Steps form one chain per instance (each transaction follows the one before),
 * so two executions racing for the same place make one insert each for the same key: the one
 * that lands is the commit, and the other starts again from it. A unique index on
 * {@code activation} (instance and open action) also makes sure one open action is taken once.
 * There are no multi-document transactions.
 *
 * <p>Every write names one document by its key alone, and changes that must not go backwards
 * use {@code $max}/{@code $min} (a step's {@code rank}: submitting, pending, sealed; an
 * instance's {@code appliedSeq} and {@code stateCode}), so they stay atomic and idempotent
 * without a condition on other fields, which the embedded MongoDB server could not serve from an
 * index. Work the sweep looks for is kept in small collections of its own:
 * {@code instance_unsettled} (instances with steps the ledger has not settled) and
 * {@code instance_deadlines} (active instances with a branch deadline).
 */
@Component
public class InstanceStore {

    public static final String SUBMITTING = "submitting";
    public static final String PENDING = "pending";
    public static final String SEALED = "sealed";
    public static final String TIMED_OUT = "TIMED_OUT";
    /** Instance states by code: a later state never gives way to an earlier one ({@code $max}). */
    private static final List<String> STATES = List.of(InstanceState.ACTIVE, TIMED_OUT, InstanceState.COMPLETED, InstanceState.REJECTED);
    private static final List<String> RANKS = List.of(SUBMITTING, PENDING, SEALED);

    /** A participant's binding: the wallet and its public key. */
    public record Binding(String walletAddress, String algorithm, String publicKey) {
    }

    /**
     * An instance; {@code startState} is where it began (the state before its first step),
     * {@code appliedSeq} the last step the ledger sealed and the instance moved on to.
     */
    public record Instance(String id, String organizationId, String blueprintId, int version, String registerId, Map<String, Binding> participants,
            String state, long appliedSeq, long headSeq, InstanceState startState, String createdBy, Instant createdAt, Instant updatedAt,
            Instant completedAt) {
    }

    /**
     * A step of an instance.
     *
     * @param state     the instance state the step leads to; {@code stateSalt} its commitment's salt
     * @param stepData  the data the step records (submitted plus calculated, or the rejection)
     * @param disclosed wallet address → the pointers of {@code stepData} it was given
     */
    public record Step(String instanceId, long seq, String activation, String kind, int actionId, String token, String branch,
            String participantId, String walletAddress, String actor, String txId, String transaction, String previousTxId, String status,
            Long height, InstanceState state, String stateSalt, String stepData, String calculations, Map<String, List<String>> disclosed,
            String fingerprint, String idempotencyKey, Instant createdAt, Instant sealedAt) {

        public Step withStatus(String status) {
            return new Step(instanceId, seq, activation, kind, actionId, token, branch, participantId, walletAddress, actor, txId, transaction,
                    previousTxId, status, height, state, stateSalt, stepData, calculations, disclosed, fingerprint, idempotencyKey, createdAt,
                    sealedAt);
        }
    }

    private final MongoCollection<Document> instances;
    private final MongoCollection<Document> steps;
    private final MongoCollection<Document> failed;
    private final MongoCollection<Document> unsettled;
    private final MongoCollection<Document> deadlines;
    private final JsonMapper json;

    InstanceStore(MongoDatabaseFactory databases, JsonMapper json) {
        this.instances = databases.getMongoDatabase().getCollection("instances");
        this.steps = databases.getMongoDatabase().getCollection("instance_steps");
        this.failed = databases.getMongoDatabase().getCollection("instance_failed_steps");
        this.unsettled = databases.getMongoDatabase().getCollection("instance_unsettled");
        this.deadlines = databases.getMongoDatabase().getCollection("instance_deadlines");
        this.json = json;
        instances.createIndex(Indexes.ascending("organizationId", "createdAt"));
        instances.createIndex(Indexes.ascending("wallets"));
        steps.createIndex(Indexes.ascending("activation"), new IndexOptions().unique(true));
        steps.createIndex(Indexes.ascending("instanceId", "idempotencyKey"));
        failed.createIndex(Indexes.ascending("instanceId"));
    }

    // ---- instances ----

    public Instance create(String id, String organizationId, String blueprintId, int version, String registerId, Map<String, Binding> participants,
            InstanceState start, String createdBy, Instant now) {
        Document bound = new Document();
        participants.forEach((p, b) -> bound.append(p, new Document("walletAddress", b.walletAddress()).append("algorithm", b.algorithm())
                .append("publicKey", b.publicKey())));
        Document d = new Document("_id", id).append("organizationId", organizationId).append("blueprintId", blueprintId)
                .append("version", version).append("registerId", registerId).append("participants", bound)
                .append("wallets", participants.values().stream().map(Binding::walletAddress).distinct().toList())
                .append("stateCode", 0).append("appliedSeq", 0L).append("headSeq", 0L)
                .append("startState", json.writeValueAsString(start.json())).append("createdBy", createdBy)
                .append("createdAt", Date.from(now)).append("updatedAt", Date.from(now)).append("completedAt", null);
        instances.insertOne(d);
        return instance(d);
    }

    public Optional<Instance> find(String id) {
        return Optional.ofNullable(instances.find(Filters.eq("_id", id)).first()).map(this::instance);
    }

    /** The filter on an instance's state, for lists. */
    public static Bson stateIs(String state) {
        return Filters.eq("stateCode", STATES.indexOf(state));
    }

    public Page<Instance> list(Bson filter, int page, int size) {
        List<Instance> items = instances.find(filter).sort(Sorts.descending("createdAt")).skip(page * size).limit(size).map(this::instance)
                .into(new ArrayList<>());
        return new Page<>(items, page, size, instances.countDocuments(filter));
    }

    /** Notes that steps up to {@code seq} exist and wait for the ledger. */
    public void noteHead(String instanceId, long seq, Instant now) {
        instances.updateOne(Filters.eq("_id", instanceId), Updates.combine(Updates.max("headSeq", seq), Updates.set("updatedAt", Date.from(now))));
        unsettled.updateOne(Filters.eq("_id", instanceId), Updates.combine(Updates.max("headSeq", seq), Updates.set("at", Date.from(now))),
                new UpdateOptions().upsert(true));
    }

    /**
     * Moves the instance on to a sealed step (idempotent, and never backwards): its applied step,
     * its state, and the sweep's lists of unsettled instances and deadlines.
     */
    public void apply(Step step, Instant now) {
        InstanceState state = step.state();
        List<Bson> changes = new ArrayList<>(List.of(Updates.max("appliedSeq", step.seq()), Updates.max("stateCode",
                STATES.indexOf(state.status())), Updates.set("updatedAt", Date.from(now))));
        if (!state.active()) {
            changes.add(Updates.min("completedAt", Date.from(now)));
        }
        instances.updateOne(Filters.eq("_id", step.instanceId()), Updates.combine(changes));
        Instant deadline = state.active() ? state.nextDeadline() : null;
        if (deadline != null) {
            deadlines.replaceOne(Filters.eq("_id", step.instanceId()), new Document("_id", step.instanceId()).append("at", Date.from(deadline)),
                    new ReplaceOptions().upsert(true));
        } else if (step.branch() != null || "reject".equals(step.kind())) {
            // only a step on a branch (or a rejection, which ends every branch) can end the last deadline; a stale entry
            // is dropped by the sweep
            deadlines.deleteOne(Filters.eq("_id", step.instanceId()));
        }
        // settled when nothing newer waits: a step inserted meanwhile raised headSeq above this one
        unsettled.deleteOne(Filters.and(Filters.eq("_id", step.instanceId()), Filters.lte("headSeq", step.seq())));
    }

    /** Marks the instance settled when no step waits after the applied one (failed steps were removed). */
    public void settleIfIdle(Instance instance) {
        if (step(instance.id(), instance.appliedSeq() + 1).isEmpty()) {
            unsettled.deleteOne(Filters.and(Filters.eq("_id", instance.id()), Filters.lte("headSeq", instance.headSeq())));
        }
    }

    /** Times out an active instance whose branch deadline passed; false when it was not active any more. */
    public boolean timeOut(String instanceId, Instant now) {
        boolean moved = instances.updateOne(Filters.eq("_id", instanceId), Updates.combine(Updates.max("stateCode", STATES.indexOf(TIMED_OUT)),
                Updates.min("completedAt", Date.from(now)))).getModifiedCount() == 1;
        deadlines.deleteOne(Filters.eq("_id", instanceId));
        return moved && find(instanceId).map(i -> TIMED_OUT.equals(i.state())).orElse(false);
    }

    /** Drops an instance from the deadline list, or moves its deadline, after the sweep found it not timed out. */
    public void deadline(String instanceId, Instant at) {
        if (at == null) {
            deadlines.deleteOne(Filters.eq("_id", instanceId));
        } else {
            deadlines.replaceOne(Filters.eq("_id", instanceId), new Document("_id", instanceId).append("at", Date.from(at)),
                    new ReplaceOptions().upsert(true));
        }
    }

    /** Instances with steps the ledger has not settled, not touched since {@code before}. */
    public List<Instance> unsettled(Instant before, int limit) {
        return byIds(unsettled.find(Filters.lt("at", Date.from(before))).limit(limit).map(d -> d.getString("_id")).into(new ArrayList<>()));
    }

    /** Active instances with a branch past its deadline. */
    public List<Instance> pastDeadline(Instant now, int limit) {
        return byIds(deadlines.find(Filters.lt("at", Date.from(now))).limit(limit).map(d -> d.getString("_id")).into(new ArrayList<>()));
    }

    private List<Instance> byIds(List<String> ids) {
        return ids.isEmpty() ? List.of() : instances.find(Filters.in("_id", ids)).map(this::instance).into(new ArrayList<>());
    }

    // ---- steps ----

    /**
     * Whether the step that opened this action is sealed (the instance's start counts as sealed):
     * an action can be executed once that step is on the ledger, which is also when its
     * {@code ActionAvailable} notification goes out, even before the instance is moved on.
     */
    public boolean openedBySealedStep(Instance instance, InstanceState.Token token) {
        long openedBy = Long.parseLong(token.id().substring(0, token.id().indexOf('.')));
        return openedBy <= instance.appliedSeq() || step(instance.id(), openedBy).map(s -> SEALED.equals(s.status())).orElse(false);
    }

    /** The latest step of the instance (the chain's head), or empty before the first. */
    public Optional<Step> head(Instance instance) {
        long seq = instance.headSeq();
        Step found = step(instance.id(), seq).orElse(null);
        // the hint may be behind (a newer insert), or ahead (a failed step was removed)
        while (found == null && seq > 0) {
            found = step(instance.id(), --seq).orElse(null);
        }
        while (true) {
            Optional<Step> newer = step(instance.id(), seq + 1);
            if (newer.isEmpty()) {
                return Optional.ofNullable(found);
            }
            found = newer.get();
            seq++;
        }
    }

    public Optional<Step> step(String instanceId, long seq) {
        if (seq < 1) {
            return Optional.empty();
        }
        return Optional.ofNullable(steps.find(Filters.eq("_id", instanceId + ":" + seq)).first()).map(this::step);
    }

    /** Steps after the applied one, in order, up to the first gap. */
    public List<Step> after(Instance instance, long appliedSeq) {
        List<Step> found = new ArrayList<>();
        for (long seq = appliedSeq + 1; ; seq++) {
            Optional<Step> step = step(instance.id(), seq);
            if (step.isEmpty()) {
                return found;
            }
            found.add(step.get());
        }
    }

    /** Every step of the instance, in order (read by key: the steps up to the head hint in one query, then any newer). */
    public List<Step> all(Instance instance) {
        List<String> ids = new ArrayList<>();
        for (long seq = 1; seq <= instance.headSeq(); seq++) {
            ids.add(instance.id() + ":" + seq);
        }
        List<Step> found = ids.isEmpty() ? new ArrayList<>()
                : steps.find(Filters.in("_id", ids)).map(this::step).into(new ArrayList<>());
        found.sort(java.util.Comparator.comparingLong(Step::seq));
        found.addAll(after(instance, Math.max(instance.headSeq(), found.isEmpty() ? 0 : found.get(found.size() - 1).seq())));
        return found;
    }

    public List<Document> failures(String instanceId) {
        return failed.find(Filters.eq("instanceId", instanceId)).sort(Sorts.ascending("failedAt")).into(new ArrayList<>());
    }

    public Optional<Step> byIdempotencyKey(String instanceId, String key) {
        return Optional.ofNullable(steps.find(Filters.and(Filters.eq("instanceId", instanceId), Filters.eq("idempotencyKey", key))).first())
                .map(this::step);
    }

    public Optional<Step> byActivation(String activation) {
        return Optional.ofNullable(steps.find(Filters.eq("activation", activation)).first()).map(this::step);
    }

    /** Inserts a step; false when its place in the chain or its action was taken by another step first. */
    public boolean insert(Step step) {
        Document d = new Document("_id", step.instanceId() + ":" + step.seq()).append("instanceId", step.instanceId()).append("seq", step.seq())
                .append("activation", step.activation()).append("kind", step.kind()).append("actionId", step.actionId())
                .append("token", step.token()).append("branch", step.branch()).append("participantId", step.participantId())
                .append("walletAddress", step.walletAddress()).append("actor", step.actor()).append("txId", step.txId())
                .append("transaction", step.transaction()).append("previousTxId", step.previousTxId()).append("rank", RANKS.indexOf(step.status()))
                .append("height", step.height()).append("state", json.writeValueAsString(step.state().json())).append("stateSalt", step.stateSalt())
                .append("stepData", step.stepData()).append("calculations", step.calculations()).append("disclosed", new Document(
                        new LinkedHashMap<>(step.disclosed()))).append("fingerprint", step.fingerprint()).append("idempotencyKey", step.idempotencyKey())
                .append("createdAt", Date.from(step.createdAt())).append("sealedAt", null);
        try {
            steps.insertOne(d);
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            return false;
        }
    }

    /** {@code submitting} → {@code pending} once the validator holds the transaction (never back from sealed). */
    public void markSubmitted(Step step) {
        steps.updateOne(Filters.eq("_id", step.instanceId() + ":" + step.seq()), Updates.max("rank", RANKS.indexOf(PENDING)));
    }

    /** Marks the step sealed at a height; true for the one caller whose write made the change. */
    public boolean markSealed(String instanceId, long seq, long height, Instant now) {
        return steps.updateOne(Filters.eq("_id", instanceId + ":" + seq), Updates.combine(Updates.max("rank", RANKS.indexOf(SEALED)),
                Updates.max("height", height), Updates.min("sealedAt", Date.from(now)))).getModifiedCount() == 1;
    }

    /**
     * Removes a step the validator refused or rejected, with every later step of the instance
     * (each was built on it), keeping a record of each in {@code instance_failed_steps}; the
     * actions they took are open again.
     */
    public void fail(Step step, String reason, Instant now) {
        for (long seq = step.seq(); ; seq++) {
            Document d = steps.find(Filters.eq("_id", step.instanceId() + ":" + seq)).first();
            if (d == null) {
                return;
            }
            if (d.getInteger("rank", 0) == RANKS.indexOf(SEALED)) {
                return; // sealed steps stand
            }
            Document record = new Document(d);
            record.put("_id", d.getString("_id") + ":" + d.getString("txId"));
            record.put("failure", seq == step.seq() ? reason : "it followed step " + step.seq() + ", which failed");
            record.put("failedAt", Date.from(now));
            failed.replaceOne(Filters.eq("_id", record.get("_id")), record, new ReplaceOptions().upsert(true));
            steps.deleteOne(Filters.eq("_id", d.getString("_id")));
        }
    }

    private Instance instance(Document d) {
        Map<String, Binding> participants = new LinkedHashMap<>();
        Document bound = d.get("participants", Document.class);
        bound.forEach((p, v) -> {
            Document b = (Document) v;
            participants.put(p, new Binding(b.getString("walletAddress"), b.getString("algorithm"), b.getString("publicKey")));
        });
        Date completed = d.getDate("completedAt");
        return new Instance(d.getString("_id"), d.getString("organizationId"), d.getString("blueprintId"), d.getInteger("version"),
                d.getString("registerId"), participants, STATES.get(d.getInteger("stateCode", 0)), number(d, "appliedSeq"), number(d, "headSeq"),
                InstanceState.of(json.readTree(d.getString("startState"))), d.getString("createdBy"), d.getDate("createdAt").toInstant(),
                d.getDate("updatedAt").toInstant(), completed == null ? null : completed.toInstant());
    }

    private Step step(Document d) {
        Map<String, List<String>> disclosed = new LinkedHashMap<>();
        Document bound = d.get("disclosed", Document.class);
        if (bound != null) {
            bound.forEach((wallet, pointers) -> disclosed.put(wallet, ((List<?>) pointers).stream().map(String::valueOf).toList()));
        }
        Date sealed = d.getDate("sealedAt");
        Number height = d.get("height", Number.class);
        return new Step(d.getString("instanceId"), number(d, "seq"), d.getString("activation"), d.getString("kind"), d.getInteger("actionId"),
                d.getString("token"), d.getString("branch"), d.getString("participantId"), d.getString("walletAddress"), d.getString("actor"),
                d.getString("txId"), d.getString("transaction"), d.getString("previousTxId"), RANKS.get(d.getInteger("rank", 0)),
                height == null ? null : height.longValue(), InstanceState.of(json.readTree(d.getString("state"))), d.getString("stateSalt"),
                d.getString("stepData"), d.getString("calculations"), disclosed, d.getString("fingerprint"), d.getString("idempotencyKey"),
                d.getDate("createdAt").toInstant(), sealed == null ? null : sealed.toInstant());
    }

    private static long number(Document d, String field) {
        Number n = d.get(field, Number.class);
        return n == null ? 0 : n.longValue();
    }
}
