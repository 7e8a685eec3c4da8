package dev.cairn.register.ledger;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import dev.cairn.ledger.CanonicalJson;
import dev.cairn.ledger.LedgerHashes;
import dev.cairn.ledger.RuleException;
import dev.cairn.ledger.SealingKeys;
import dev.cairn.ledger.TransactionRules;
import dev.cairn.platform.problem.ApiException;
import dev.cairn.register.config.RegisterProperties;
import dev.cairn.register.events.RegisterEvents;
import dev.cairn.register.registry.Registry;

/**
 * Stores a sealed docket and its transactions without multi-document transactions:
 * <ol>
 *   <li>check the docket and every transaction on their own (shape, hashes, signatures);</li>
 *   <li>check it against the chain: the same docket again is answered as before; another docket
 *       at a stored height, a gap, or a previous hash that is not the latest docket's is a 409;</li>
 *   <li>store the transactions with the docket's height (idempotent; a transaction that a
 *       stored docket already lists is a 409);</li>
 *   <li>insert the docket: its height is its {@code _id}, so of two writers racing for one height
 *       exactly one succeeds. This insert is the commit: before it, readers see none of the
 *       transactions; after it, all of them;</li>
 *   <li>move the registry's head forward. A writer that lost the race removes the transactions it
 *       staged that the winning docket does not list.</li>
 * </ol>
 * A crash between any two steps leaves either nothing visible or the whole docket; a retry of
 * the same request completes it. A writer that stops after staging and before its docket leaves
 * its transactions stored at a height whose docket does not list them: readers never show them
 * (a transaction is sealed only when the docket at its height lists it), and sealing one later
 * moves it to its new height. The winner does not look for such leftovers: that would be a query
 * on {@code height} for every docket, which the embedded MongoDB server answers by scanning
 * every transaction of the register. Steps 3 to 5 ({@link #store}) are also how a replica stores the
 * dockets it copies from the register's home ({@link ReplicaWriter}), once it checked them.
 *
 * <p>A validator sends the epoch of its lease on the register ({@code leaseEpoch}); once a
 * docket with a higher epoch was offered, a lower one is refused (409 {@code stale-lease}), so a
 * validator that lost its lease without noticing cannot keep writing. The height check above
 * is what rules out forks; the fence stops a stale leader early.
 */
@Component
public class DocketWriter {

    /**
     * A stored docket, with what the register trusts after it: the sealing keys for the next
     * height, and the size and head of the docket tree (what a signed tree head states).
     */
    public record Written(String registerId, long height, String hash, int transactionCount, long treeSize, String rootHash,
            List<String> frontier, List<SealingKeys.Key> sealingKeys) {

        static Written of(String registerId, long height, String hash, int count, DocketTrust.After after) {
            return new Written(registerId, height, hash, count, after.treeSize(), after.rootHash(),
                    after.frontier().stream().map(LedgerHashes::hex).toList(), after.keys().keys());
        }
    }

    /**
     * A docket checked against the chain and the sealing keys, ready to be stored: its transactions
     * in the docket's order, the ids of the key changes it seals, and the trust after it.
     */
    record Sealed(JsonNode docket, JsonNode transactions, List<String> txIds, List<String> keyChanges, DocketTrust.After after) {

        static Sealed of(JsonNode docket, JsonNode transactions, List<String> txIds, DocketTrust.After after) {
            List<String> keyChanges = new ArrayList<>();
            transactions.values().forEach(tx -> {
                if (SealingKeys.isKeyChange(tx)) {
                    keyChanges.add(tx.path("txId").stringValue());
                }
            });
            return new Sealed(docket, transactions, txIds, keyChanges, after);
        }
    }

    /** A docket stored: {@code document} as it is in the store; {@code inserted} false when the same docket was there already. */
    record Stored(Written written, Document document, boolean inserted) {
    }

    private final LedgerStore store;
    private final Registry registry;
    private final RegisterProperties properties;
    private final RegisterEvents events;
    private final DocketTrust trust;

    public DocketWriter(LedgerStore store, Registry registry, RegisterProperties properties, RegisterEvents events, DocketTrust trust) {
        this.store = store;
        this.trust = trust;
        this.registry = registry;
        this.properties = properties;
        this.events = events;
    }

    public Written write(String registerId, JsonNode request) {
        JsonNode docket = request.path("docket");
        JsonNode transactions = request.path("transactions");
        if (!transactions.isArray() || transactions.isEmpty()) {
            throw invalid("transactions must be a non-empty array");
        }
        if (transactions.size() > properties.maxDocketTransactions()) {
            throw invalid("a docket holds at most " + properties.maxDocketTransactions() + " transactions");
        }
        List<String> txIds = new ArrayList<>();
        for (JsonNode tx : transactions.values()) {
            String problem = TransactionRules.problem(tx, registerId);
            if (problem != null) {
                throw invalid(problem);
            }
            txIds.add(tx.path("txId").stringValue());
        }
        String problem = LedgerRecords.docketProblem(docket, registerId, txIds);
        if (problem != null) {
            throw invalid(problem);
        }
        long height = docket.path("height").longValue();
        boolean genesis = height == 0;
        for (JsonNode tx : transactions.values()) {
            if ("genesis".equals(tx.path("type").stringValue()) != genesis) {
                throw invalid(genesis ? "the genesis docket holds only the genesis transaction"
                        : "a genesis transaction belongs only in the docket at height 0");
            }
        }
        if (genesis && (transactions.size() != 1 || !LedgerHashes.GENESIS_PREVIOUS_HASH.equals(docket.path("previousHash").stringValue()))) {
            throw invalid("the genesis docket holds one transaction and its previousHash is 64 zeros");
        }

        JsonNode leaseEpoch = request.path("leaseEpoch");
        if (!leaseEpoch.isMissingNode() && (!leaseEpoch.isIntegralNumber() || !leaseEpoch.canConvertToLong() || leaseEpoch.longValue() < 1)) {
            throw invalid("leaseEpoch must be a whole number >= 1");
        }

        LedgerStore.Ledger ledger = store.of(registerId);
        Document existing = ledger.dockets().find(Filters.eq("_id", height)).first();
        if (existing != null) {
            return sameOrConflict(ledger, existing, docket, txIds.size());
        }
        Document latest = ledger.latestDocket();
        long latestHeight = latest == null ? -1 : ((Number) latest.get("_id")).longValue();
        if (height != latestHeight + 1) {
            throw conflict("height-not-next", "The register's next height is " + (latestHeight + 1) + ", not " + height,
                    Map.of("nextHeight", latestHeight + 1));
        }
        if (latest != null && !latest.getString("hash").equals(docket.path("previousHash").stringValue())) {
            throw conflict("previous-hash-mismatch", "previousHash is not the hash of the docket at height " + latestHeight,
                    Map.of("latestHash", latest.getString("hash")));
        }

        DocketTrust.After after = trusted(ledger, latest, docket, transactions, height);
        fence(registerId, request);
        return store(ledger, latest, Sealed.of(docket, transactions, txIds, after)).written();
    }

    /**
     * Stores a docket that passed every check against the chain and its sealing keys, following
     * {@code latest} (null before genesis): stages its transactions, inserts the docket (the
     * commit), tidies, moves the registry's head and publishes its events. The validator path and
     * the replica path ({@link ReplicaWriter}) both store through here.
     */
    Stored store(LedgerStore.Ledger ledger, Document latest, Sealed sealed) {
        JsonNode docket = sealed.docket();
        List<String> txIds = sealed.txIds();
        long height = sealed.after().height();
        String hash = docket.path("hash").stringValue();
        List<Document> staged = stageTransactions(ledger, sealed.transactions(), height);

        // event sequence numbers continue the previous docket's: the same for every writer of this height
        long firstSeq = latest == null ? 1 : ((Number) latest.get("lastSeq")).longValue() + 1;
        Document docketDocument = new Document("_id", height).append("hash", hash).append("raw", CanonicalJson.string(docket))
                .append("transactionIds", txIds).append("timestamp", docket.path("timestamp").stringValue())
                .append("firstSeq", firstSeq).append("lastSeq", firstSeq + RegisterEvents.count(txIds.size()) - 1);
        DocketTrust.keep(docketDocument, sealed.after(), sealed.keyChanges());
        try {
            ledger.dockets().insertOne(docketDocument);
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            Document winner = ledger.dockets().find(Filters.eq("_id", height)).first();
            clearLost(ledger, height, winner, txIds);
            return new Stored(sameOrConflict(ledger, winner, docket, txIds.size()), winner, false);
        }
        ledger.stored(height);
        registry.advance(ledger.registerId(), height, hash);
        events.publish(ledger.registerId(), docketDocument, staged);
        return new Stored(Written.of(ledger.registerId(), height, hash, txIds.size(), sealed.after()), docketDocument, true);
    }

    /**
     * The docket must be signed by a sealing key in force at its height, and so must every key
     * change it seals; the genesis docket by a key its genesis transaction pins.
     *
     * @return the trust after the docket
     */
    private DocketTrust.After trusted(LedgerStore.Ledger ledger, Document latest, JsonNode docket, JsonNode transactions, long height) {
        try {
            return DocketTrust.next(height == 0 ? null : trust.after(ledger, latest), docket, transactions, height);
        } catch (RuleException e) {
            throw invalid(e.getMessage());
        }
    }

    /** Raises the register's fence to the request's lease epoch, once the docket is known to be valid; a lower epoch is refused. */
    private void fence(String registerId, JsonNode request) {
        JsonNode leaseEpoch = request.path("leaseEpoch");
        if (!leaseEpoch.isMissingNode()) {
            long fence = registry.fence(registerId, leaseEpoch.longValue());
            if (fence > leaseEpoch.longValue()) {
                throw conflict("stale-lease", "A validator with a newer lease on this register has written to it (lease epoch "
                        + leaseEpoch.longValue() + " is stale)", Map.of("currentEpoch", fence));
            }
        }
    }

    /** The same docket, signature and all, again: answered as the first time; anything else at a sealed height is a conflict. */
    private Written sameOrConflict(LedgerStore.Ledger ledger, Document stored, JsonNode docket, int count) {
        long height = ((Number) stored.get("_id")).longValue();
        String hash = docket.path("hash").stringValue();
        if (stored.getString("raw").equals(CanonicalJson.string(docket))) {
            // completes a write that stopped after its commit; subscribers drop events they already have
            registry.advance(ledger.registerId(), height, hash);
            events.publish(ledger.registerId(), stored);
            return Written.of(ledger.registerId(), height, hash, count, trust.after(ledger, stored));
        }
        throw heightTaken(height, stored.getString("hash"), hash);
    }

    /** Another docket is sealed at this height: 409 {@code height-taken}, naming both hashes (the same when only the signatures differ). */
    static ApiException heightTaken(long height, String sealedHash, String offeredHash) {
        return conflict("height-taken", "Another docket is already sealed at height " + height,
                Map.of("height", height, "sealedHash", sealedHash, "offeredHash", offeredHash));
    }

    private List<Document> stageTransactions(LedgerStore.Ledger ledger, JsonNode transactions, long height) {
        List<Document> documents = new ArrayList<>();
        for (JsonNode tx : transactions.values()) {
            documents.add(transactionDocument(tx, height));
        }
        try {
            ledger.transactions().insertMany(documents, new InsertManyOptions().ordered(false));
        } catch (MongoBulkWriteException e) {
            for (BulkWriteError error : e.getWriteErrors()) {
                if (ErrorCategory.fromErrorCode(error.getCode()) != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
                restage(ledger, documents.get(error.getIndex()), height);
            }
        }
        return documents;
    }

    /** A transaction id that is already stored: the same transaction for this height, a sealed one, or one left by a failed write. */
    private void restage(LedgerStore.Ledger ledger, Document ours, long height) {
        String txId = ours.getString("_id");
        Document stored = ledger.transactions().find(Filters.eq("_id", txId)).first();
        if (stored == null) {
            ledger.transactions().insertOne(ours); // removed meanwhile by a tidy-up; the id is unique, a race fails loudly
            return;
        }
        long storedHeight = ((Number) stored.get("height")).longValue();
        if (storedHeight != height) {
            Document sealedAt = ledger.dockets().find(Filters.and(Filters.eq("_id", storedHeight), Filters.eq("transactionIds", txId))).first();
            if (sealedAt != null) {
                throw conflict("transaction-sealed", "Transaction " + txId + " is already sealed at height " + storedHeight,
                        Map.of("txId", txId, "height", storedHeight));
            }
            ledger.transactions().updateOne(Filters.and(Filters.eq("_id", txId), Filters.eq("height", storedHeight)),
                    Updates.set("height", height));
        }
        if (!ours.getString("raw").equals(stored.getString("raw"))) {
            throw conflict("transaction-differs", "A different transaction with id " + txId + " is stored", Map.of("txId", txId));
        }
    }

    /**
     * Another docket won the height: the transactions this writer staged there that it does not
     * list are removed, unless another writer moved them on to a later height meanwhile.
     */
    private static void clearLost(LedgerStore.Ledger ledger, long height, Document winner, List<String> staged) {
        Set<String> listed = new HashSet<>(winner.getList("transactionIds", String.class));
        List<String> lost = staged.stream().filter(txId -> !listed.contains(txId)).toList();
        if (!lost.isEmpty()) {
            ledger.transactions().deleteMany(Filters.and(Filters.in("_id", lost), Filters.eq("height", height)));
        }
    }

    static Document transactionDocument(JsonNode tx, long height) {
        Set<String> recipients = new java.util.LinkedHashSet<>(LedgerRecords.strings(tx.path("recipients"))); // distinct, in the signed order
        return new Document("_id", tx.path("txId").stringValue()).append("height", height).append("raw", CanonicalJson.string(tx))
                .append("type", tx.path("type").stringValue()).append("sender", tx.path("sender").stringValue())
                .append("recipients", new ArrayList<>(recipients)).append("blueprintId", tx.path("blueprintId").asString(null))
                .append("instanceId", tx.path("instanceId").asString(null)).append("timestamp", tx.path("timestamp").stringValue());
    }

    private static ApiException invalid(String detail) {
        return ApiException.badRequest("invalid-docket", detail);
    }

    private static ApiException conflict(String type, String detail, Map<String, Object> properties) {
        return new ApiException(HttpStatus.CONFLICT, type, "Conflict", detail, properties);
    }
}
