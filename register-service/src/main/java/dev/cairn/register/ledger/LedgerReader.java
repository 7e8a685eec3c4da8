package dev.cairn.register.ledger;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import org.bson.Document;
import org.bson.conversions.Bson;

import dev.cairn.ledger.LedgerHashes;
import dev.cairn.ledger.SealingKeys;
import dev.cairn.platform.web.Page;

import org.springframework.stereotype.Component;

/**
 * Reads that only ever show what a sealed docket lists. A transaction document counts when
 * the docket stored at its height names it; sealed dockets never change, so the lists are
 * remembered (a bounded number of them).
 */
@Component
public class LedgerReader {

    private static final int REMEMBERED_DOCKETS = 2_000;

    private final LedgerStore store;
    private final DocketTrust trust;
    private final Map<String, Set<String>> sealedLists = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Set<String>> eldest) {
            return size() > REMEMBERED_DOCKETS;
        }
    };

    public LedgerReader(LedgerStore store, DocketTrust trust) {
        this.store = store;
        this.trust = trust;
    }

    /** The keys that may seal a register's next docket, above {@code height}, and every key change sealed up to it. */
    public record KeysInForce(long height, SealingKeys keys, List<DocketTrust.Change> changes) {
    }

    /** The register's sealing keys in force; empty while its genesis docket is not sealed. */
    public Optional<KeysInForce> sealingKeys(String registerId) {
        LedgerStore.Ledger ledger = store.of(registerId);
        Document latest = ledger.latestDocket();
        if (latest == null) {
            return Optional.empty();
        }
        DocketTrust.After after = trust.after(ledger, latest);
        return Optional.of(new KeysInForce(after.height(), after.keys(), trust.changes(ledger, after.height())));
    }

    public long sealedHeight(String registerId) {
        Document latest = store.of(registerId).latestDocket();
        return latest == null ? -1 : ((Number) latest.get("_id")).longValue();
    }

    public Optional<Document> docket(String registerId, long height) {
        return Optional.ofNullable(store.of(registerId).dockets().find(Filters.eq("_id", height)).first());
    }

    public Optional<Document> latestDocket(String registerId) {
        return Optional.ofNullable(store.of(registerId).latestDocket());
    }

    /** The dockets at heights {@code from} to {@code from + limit - 1} (fewer at the chain's end), in height order. */
    public List<Document> dockets(String registerId, long from, int limit) {
        return store.of(registerId).docketsFrom(from, limit);
    }

    /** The hashes of the dockets below {@code height}, in height order: the leaves of the docket tree. */
    public List<byte[]> docketHashes(String registerId, long height) {
        List<byte[]> leaves = new ArrayList<>();
        store.of(registerId).dockets().find(Filters.lt("_id", height)).projection(Projections.include("hash")).sort(Sorts.ascending("_id"))
                .forEach(d -> leaves.add(LedgerHashes.bytes(d.getString("hash"))));
        return leaves;
    }

    /** The stored transactions of a docket's list, by id (one the store lacks is absent). */
    public Map<String, Document> transactionsOf(String registerId, List<String> txIds) {
        Map<String, Document> found = new java.util.HashMap<>();
        store.of(registerId).transactions().find(Filters.in("_id", txIds)).forEach(d -> found.put(d.getString("_id"), d));
        return found;
    }

    /** A sealed docket as stored, with its stored transactions in the docket's order. */
    public record Sealed(Document docket, List<Document> transactions) {
    }

    /**
     * The sealed dockets from height {@code from}, at most {@code limit}, each with its transactions;
     * no more once their stored records ({@code raw}) would pass {@code maxBytes}, but always one
     * when there is one.
     */
    public List<Sealed> chain(String registerId, long from, int limit, long maxBytes) {
        List<Sealed> chain = new ArrayList<>();
        long bytes = 0;
        for (Document docket : dockets(registerId, from, limit)) {
            List<String> ids = docket.getList("transactionIds", String.class);
            Map<String, Document> found = transactionsOf(registerId, ids);
            List<Document> transactions = new ArrayList<>();
            long size = utf8Length(docket.getString("raw"));
            for (String txId : ids) {
                Document tx = found.get(txId);
                if (tx == null) {
                    throw new IllegalStateException("transaction " + txId + " of docket " + docket.get("_id") + " of register " + registerId
                            + " is missing from the store");
                }
                transactions.add(tx);
                size += utf8Length(tx.getString("raw"));
            }
            if (!chain.isEmpty() && bytes + size > maxBytes) {
                break;
            }
            chain.add(new Sealed(docket, transactions));
            bytes += size;
        }
        return chain;
    }

    private static long utf8Length(String text) {
        long length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                length++;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c)) {
                length += 4;
                i++;
            } else {
                length += 3;
            }
        }
        return length;
    }

    public Optional<Document> transaction(String registerId, String txId) {
        return Optional.ofNullable(store.of(registerId).transactions().find(Filters.eq("_id", txId)).first())
                .filter(document -> sealed(registerId, document));
    }

    /** Sealed transactions matching every given field, oldest docket first. */
    public Page<Document> transactions(String registerId, Map<String, String> criteria, int page, int size) {
        long head = sealedHeight(registerId);
        List<Bson> filters = new ArrayList<>();
        filters.add(Filters.lte("height", head));
        criteria.forEach((field, value) -> {
            if (value != null) {
                filters.add(Filters.eq(field, value));
            }
        });
        Bson filter = Filters.and(filters);
        var collection = store.of(registerId).transactions();
        long total = collection.countDocuments(filter);
        List<Document> items = collection.find(filter).sort(Sorts.ascending("height", "timestamp", "_id")).skip(page * size).limit(size)
                .into(new ArrayList<>());
        items.removeIf(document -> !sealed(registerId, document));
        return new Page<>(items, page, size, total);
    }

    boolean sealed(String registerId, Document transaction) {
        long height = ((Number) transaction.get("height")).longValue();
        String key = registerId + "/" + height;
        Set<String> listed;
        synchronized (sealedLists) {
            listed = sealedLists.get(key);
        }
        if (listed == null) {
            Document docket = store.of(registerId).dockets().find(Filters.eq("_id", height)).first();
            if (docket == null) {
                return false;
            }
            listed = new HashSet<>(docket.getList("transactionIds", String.class));
            synchronized (sealedLists) {
                sealedLists.put(key, listed);
            }
        }
        return listed.contains(transaction.getString("_id"));
    }
}
