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
import com.mongodb.client.model.Updates;
import org.bson.Document;

import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.stereotype.Component;

/**
 * The mempool: every accepted transaction, one document each in the {@code mempool} collection,
 * keyed by txId (which covers the register id), so a transaction is stored once however often it
 * is submitted. A submission is acknowledged only after the insert returns, with the write
 * concern of the MongoDB URI ({@code w=majority} in production). Each document moves once from
 * {@code pending} to {@code sealed} (with its height) or {@code rejected} (with the reason).
 *
 * <p>{@code chain_links} records, per previous transaction, the one transaction that follows it,
 * so that two replicas cannot accept two successors of one transaction (a fork).
 */
@Component
public class Mempool {

    public static final String PENDING = "pending";
    public static final String SEALED = "sealed";
    public static final String REJECTED = "rejected";

    /** A stored transaction. {@code raw} is its canonical JSON, exactly as it will be sealed. */
    public record Entry(String txId, String registerId, String status, String raw, String previousTxId, Instant receivedAt, Long height,
            String reason, Instant decidedAt) {

        static Entry of(Document d) {
            Number height = d.get("height", Number.class);
            Date decided = d.getDate("decidedAt");
            return new Entry(d.getString("_id"), d.getString("registerId"), d.getString("status"), d.getString("raw"),
                    d.getString("previousTxId"), d.getDate("receivedAt").toInstant(), height == null ? null : height.longValue(),
                    d.getString("reason"), decided == null ? null : decided.toInstant());
        }
    }

    /** A transaction to store. */
    public record Accepted(String txId, String registerId, String raw, String previousTxId) {
    }

    private final MongoCollection<Document> transactions;
    private final MongoCollection<Document> links;

    public Mempool(MongoDatabaseFactory databases) {
        this.transactions = databases.getMongoDatabase().getCollection("mempool");
        this.links = databases.getMongoDatabase().getCollection("chain_links");
        transactions.createIndex(Indexes.ascending("status", "registerId", "receivedAt"));
    }

    /**
     * Stores the transactions that are not stored yet, in one round trip.
     *
     * @return the txIds that were stored already (their first copy stays as it is)
     */
    public Set<String> insert(List<Accepted> accepted, Instant now) {
        List<Document> documents = new ArrayList<>(accepted.size());
        for (Accepted a : accepted) {
            documents.add(new Document("_id", a.txId()).append("registerId", a.registerId()).append("status", PENDING).append("raw", a.raw())
                    .append("previousTxId", a.previousTxId()).append("receivedAt", Date.from(now)));
        }
        Set<String> known = new HashSet<>();
        try {
            if (documents.size() == 1) {
                transactions.insertOne(documents.get(0));
            } else {
                transactions.insertMany(documents, new InsertManyOptions().ordered(false));
            }
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            known.add(accepted.get(0).txId());
        } catch (MongoBulkWriteException e) {
            for (BulkWriteError error : e.getWriteErrors()) {
                if (ErrorCategory.fromErrorCode(error.getCode()) != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
                known.add(accepted.get(error.getIndex()).txId());
            }
            if (e.getWriteConcernError() != null) {
                throw e;
            }
        }
        return known;
    }

    public Optional<Entry> find(String txId) {
        return Optional.ofNullable(transactions.find(Filters.eq("_id", txId)).first()).map(Entry::of);
    }

    public List<Entry> find(List<String> txIds) {
        return transactions.find(Filters.in("_id", txIds)).map(Entry::of).into(new ArrayList<>());
    }

    /** The oldest pending transactions of a register, in arrival order. */
    public List<Entry> pending(String registerId, int limit) {
        return transactions.find(Filters.and(Filters.eq("status", PENDING), Filters.eq("registerId", registerId)))
                .sort(Sorts.ascending("receivedAt", "_id")).limit(limit).map(Entry::of).into(new ArrayList<>());
    }

    /** Registers that have pending transactions. */
    public List<String> registersWithPending() {
        return transactions.distinct("registerId", Filters.eq("status", PENDING), String.class).into(new ArrayList<>());
    }

    public void markSealed(List<String> txIds, long height, Instant now) {
        if (txIds.isEmpty()) {
            return;
        }
        transactions.updateMany(Filters.and(Filters.in("_id", txIds), Filters.ne("status", SEALED)),
                Updates.combine(Updates.set("status", SEALED), Updates.set("height", height), Updates.set("decidedAt", Date.from(now)),
                        Updates.unset("reason")));
    }

    /** Records a transaction the validator sealed without it passing through the mempool (a genesis transaction). */
    public void recordSealed(Accepted accepted, long height, Instant now) {
        insert(List.of(accepted), now);
        markSealed(List.of(accepted.txId()), height, now);
    }

    /** Rejects a pending transaction; returns false when it was no longer pending. */
    public boolean reject(String txId, String reason, Instant now) {
        boolean changed = transactions.updateOne(Filters.and(Filters.eq("_id", txId), Filters.eq("status", PENDING)),
                Updates.combine(Updates.set("status", REJECTED), Updates.set("reason", reason), Updates.set("decidedAt", Date.from(now))))
                .getModifiedCount() == 1;
        if (changed) {
            links.deleteOne(Filters.eq("next", txId));
        }
        return changed;
    }

    /**
     * Claims {@code previousTxId}'s one successor for {@code txId}.
     *
     * @return the transaction that follows it already, or empty when the claim is {@code txId}'s
     */
    public Optional<String> claimSuccessor(String previousTxId, String txId) {
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                links.insertOne(new Document("_id", previousTxId).append("next", txId));
                return Optional.empty();
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
                return Optional.empty();
            }
            return Optional.of(next);
        }
        throw new IllegalStateException("chain link of " + previousTxId + " keeps changing");
    }

    /** Gives up a claim made for a transaction that was not stored after all. */
    public void releaseSuccessor(String previousTxId, String txId) {
        links.deleteOne(Filters.and(Filters.eq("_id", previousTxId), Filters.eq("next", txId)));
    }
}
