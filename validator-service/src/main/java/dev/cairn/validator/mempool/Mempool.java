package dev.cairn.validator.mempool;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Sorts;
import org.bson.Document;

import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.stereotype.Component;

/**
 * The mempool. Every accepted transaction is one document keyed by txId (which covers the
 * register id), so a transaction is stored once however often it is submitted. A submission is
 * acknowledged only after the insert returns, with the write concern of the MongoDB URI
 * ({@code w=majority} in production).
 *
 * <p>Pending transactions live in {@code mempool}, which therefore stays as small as the
 * backlog; a decided one moves to {@code mempool_decided}, as {@code sealed} (with its height)
 * or {@code rejected} (with the reason), without its body (the register holds the sealed
 * record). A move inserts the decided document first and then removes the pending one, so a
 * transaction is always in at least one of the two.
 *
 * <p>{@code chain_links} records, per previous transaction, the one transaction that follows it,
 * so that two replicas cannot accept two successors of one transaction (a fork).
 */
@Component
public class Mempool {

    public static final String PENDING = "pending";
    public static final String SEALED = "sealed";
    public static final String REJECTED = "rejected";

    /**
     * A stored transaction; {@code raw}, its canonical JSON exactly as it will be sealed, while it
     * is pending; {@code step}, for a workflow step, what the instance's next step is checked
     * against (kept once decided, so that it need not be read back from the register).
     */
    public record Entry(String txId, String registerId, String status, String raw, String previousTxId, Instant receivedAt, Long height,
            String reason, Instant decidedAt, Document step) {

        static Entry pending(Document d) {
            return new Entry(d.getString("_id"), d.getString("registerId"), PENDING, d.getString("raw"), d.getString("previousTxId"),
                    d.getDate("receivedAt").toInstant(), null, null, null, d.get("step", Document.class));
        }

        static Entry decided(Document d) {
            Number height = d.get("height", Number.class);
            return new Entry(d.getString("_id"), d.getString("registerId"), d.getString("status"), null, d.getString("previousTxId"),
                    d.getDate("receivedAt").toInstant(), height == null ? null : height.longValue(), d.getString("reason"),
                    d.getDate("decidedAt").toInstant(), d.get("step", Document.class));
        }
    }

    /** A transaction to store; {@code instanceId} and {@code step} (its summary) for a workflow step. */
    public record Accepted(String txId, String registerId, String raw, String previousTxId, String instanceId, Document step) {
        public Accepted(String txId, String registerId, String raw, String previousTxId) {
            this(txId, registerId, raw, previousTxId, null, null);
        }
    }

    private final MongoCollection<Document> pending;
    private final MongoCollection<Document> decided;
    private final MongoCollection<Document> links;

    public Mempool(MongoDatabaseFactory databases) {
        this.pending = databases.getMongoDatabase().getCollection("mempool");
        this.decided = databases.getMongoDatabase().getCollection("mempool_decided");
        this.links = databases.getMongoDatabase().getCollection("chain_links");
        pending.createIndex(Indexes.ascending("registerId", "receivedAt"));
    }

    /**
     * Stores transactions the caller found unknown ({@link #find(List)}), in one round trip, and
     * makes sure none that was decided in the meantime stays pending.
     *
     * @return the txIds that were known after all (their first copy stays as it is)
     */
    public Set<String> insert(List<Accepted> fresh, Instant now) {
        Set<String> known = new HashSet<>();
        if (fresh.isEmpty()) {
            return known;
        }
        List<Document> documents = new ArrayList<>(fresh.size());
        for (Accepted a : fresh) {
            Document d = new Document("_id", a.txId()).append("registerId", a.registerId()).append("raw", a.raw())
                    .append("previousTxId", a.previousTxId()).append("receivedAt", Date.from(now));
            if (a.step() != null) {
                d.append("step", a.step());
            }
            documents.add(d);
        }
        for (int index : insertNew(pending, documents)) {
            known.add(fresh.get(index).txId());
        }
        // a copy decided while this insert ran must not stay pending
        List<String> inserted = fresh.stream().map(Accepted::txId).filter(id -> !known.contains(id)).toList();
        if (!inserted.isEmpty()) {
            List<String> decidedMeanwhile = new ArrayList<>();
            decided.find(Filters.in("_id", inserted)).projection(new Document("_id", 1)).forEach(d -> decidedMeanwhile.add(d.getString("_id")));
            if (!decidedMeanwhile.isEmpty()) {
                pending.deleteMany(Filters.in("_id", decidedMeanwhile));
                known.addAll(decidedMeanwhile);
            }
        }
        return known;
    }

    public Optional<Entry> find(String txId) {
        Document waiting = pending.find(Filters.eq("_id", txId)).first();
        if (waiting != null) {
            return Optional.of(Entry.pending(waiting));
        }
        return Optional.ofNullable(decided.find(Filters.eq("_id", txId)).first()).map(Entry::decided);
    }

    /** The known ones of these transactions, decided ones winning over a pending copy. */
    public List<Entry> find(List<String> txIds) {
        java.util.Map<String, Entry> found = new java.util.HashMap<>();
        pending.find(Filters.in("_id", txIds)).forEach(d -> found.put(d.getString("_id"), Entry.pending(d)));
        decided.find(Filters.in("_id", txIds)).forEach(d -> found.put(d.getString("_id"), Entry.decided(d)));
        return new ArrayList<>(found.values());
    }

    /** The oldest pending transactions of a register, in arrival order. */
    public List<Entry> pending(String registerId, int limit) {
        return pending.find(Filters.eq("registerId", registerId)).sort(Sorts.ascending("receivedAt", "_id")).limit(limit).map(Entry::pending)
                .into(new ArrayList<>());
    }

    /** Registers that have pending transactions. */
    public List<String> registersWithPending() {
        return pending.distinct("registerId", String.class).into(new ArrayList<>());
    }

    /** Records the transactions as sealed at this height (idempotent; also for ones that never were pending here). */
    public void markSealed(String registerId, List<String> txIds, long height, Instant now) {
        decide(registerId, txIds, new Document("status", SEALED).append("height", height), now);
    }

    /** Records a transaction the validator sealed without it passing through the mempool (a genesis transaction). */
    public void recordSealed(String registerId, String txId, long height, Instant now) {
        markSealed(registerId, List.of(txId), height, now);
    }

    /** Rejects a pending transaction; returns false when it was decided already. */
    public boolean reject(Entry entry, String reason, Instant now) {
        if (decided.find(Filters.eq("_id", entry.txId())).first() != null) {
            pending.deleteOne(Filters.eq("_id", entry.txId()));
            return false;
        }
        decide(entry.registerId(), List.of(entry.txId()), new Document("status", REJECTED).append("reason", reason), now);
        links.deleteOne(Filters.eq("next", entry.txId()));
        return true;
    }

    private void decide(String registerId, List<String> txIds, Document outcome, Instant now) {
        if (txIds.isEmpty()) {
            return;
        }
        java.util.Map<String, Document> waiting = new java.util.HashMap<>();
        pending.find(Filters.in("_id", txIds)).projection(new Document("raw", 0)).forEach(d -> waiting.put(d.getString("_id"), d));
        List<Document> documents = new ArrayList<>(txIds.size());
        for (String txId : txIds) {
            Document before = waiting.get(txId);
            Document d = new Document("_id", txId).append("registerId", registerId)
                    .append("previousTxId", before == null ? null : before.getString("previousTxId"))
                    .append("receivedAt", before == null ? Date.from(now) : before.getDate("receivedAt")).append("decidedAt", Date.from(now));
            if (before != null && before.get("step") != null) {
                d.append("step", before.get("step"));
            }
            d.putAll(outcome);
            documents.add(d);
        }
        insertNew(decided, documents); // one decided before: the first decision stands
        pending.deleteMany(Filters.in("_id", txIds));
    }

    /** Inserts the documents in one round trip, unordered; returns the indexes of those whose _id was taken already. */
    private static List<Integer> insertNew(MongoCollection<Document> collection, List<Document> documents) {
        List<Integer> taken = new ArrayList<>();
        try {
            collection.insertMany(documents, new InsertManyOptions().ordered(false));
        } catch (MongoBulkWriteException e) {
            for (BulkWriteError error : e.getWriteErrors()) {
                if (ErrorCategory.fromErrorCode(error.getCode()) != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
                taken.add(error.getIndex());
            }
            if (e.getWriteConcernError() != null) {
                throw e;
            }
        }
        return taken;
    }

    /** The outcome of a claim: {@code created} when this call made it; {@code otherTxId} when another transaction holds it. */
    public record Claim(boolean created, String otherTxId) {
    }

    /**
     * Claims {@code previousTxId}'s one successor for {@code txId}. A claim of a transaction that
     * was rejected is taken over.
     */
    public Claim claimSuccessor(String previousTxId, String txId) {
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                links.insertOne(new Document("_id", previousTxId).append("next", txId));
                return new Claim(true, null);
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
            }
            Document link = links.find(Filters.eq("_id", previousTxId)).first();
            if (link == null) {
                continue; // released in between: claim again
            }
            String next = link.getString("next");
            if (next.equals(txId)) {
                return new Claim(false, null);
            }
            Optional<Entry> holder = find(next);
            if (holder.isEmpty() || !REJECTED.equals(holder.get().status())) {
                return new Claim(false, next);
            }
            if (links.updateOne(Filters.and(Filters.eq("_id", previousTxId), Filters.eq("next", next)),
                    new Document("$set", new Document("next", txId))).getModifiedCount() == 1) {
                return new Claim(true, null);
            }
        }
        throw new IllegalStateException("the chain link of " + previousTxId + " keeps changing");
    }

    /** Gives up a claim made for a transaction that was not stored after all. */
    public void releaseSuccessor(String previousTxId, String txId) {
        links.deleteOne(Filters.and(Filters.eq("_id", previousTxId), Filters.eq("next", txId)));
    }
}
