package dev.cairn.register.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import org.bson.Document;

import org.springframework.stereotype.Component;

import dev.cairn.register.config.RegisterProperties;

/**
 * One MongoDB database per register, {@code <prefix>_register_<id>}, with two collections:
 * <ul>
 *   <li>{@code dockets}: {@code _id} is the height, so that at most one docket exists per
 *       height: the insert of the docket is the commit point of a write;</li>
 *   <li>{@code transactions}: {@code _id} is the txId (unique), with the height of the docket
 *       that lists it. A transaction counts only when the docket at its height lists it, so a
 *       write that stopped before its docket was stored leaves nothing a reader sees.</li>
 * </ul>
 * Both keep the record exactly as it was signed ({@code raw}, canonical JSON) beside the
 * fields that queries use.
 */
@Component
public class LedgerStore {

    /**
     * One register's collections. Dockets are stored in height order without gaps (a docket is
     * written only on the one below it, and none is ever deleted), so the latest is found by
     * looking up heights from the greatest one seen, by {@code _id}, rather than by sorting the
     * collection: on a real MongoDB both walk the {@code _id} index, but the embedded server
     * serves only equality and {@code $in} from an index and would read every docket to sort them.
     */
    public record Ledger(String registerId, MongoCollection<Document> dockets, MongoCollection<Document> transactions, AtomicLong latestSeen) {

        /** Heights looked up at once when the latest docket is searched for from the greatest one seen. */
        static final int LATEST_WINDOW = 16;

        /** The docket at the greatest height, or null before genesis. */
        public Document latestDocket() {
            long seen = latestSeen.get();
            if (seen >= 0) {
                Document latest = latestFrom(seen);
                if (latest != null) {
                    latestSeen.accumulateAndGet(height(latest), Math::max);
                    return latest;
                }
            }
            // nothing seen yet, or the docket seen is gone (the database was dropped): sort them all, once
            Document latest = dockets.find().sort(Sorts.descending("_id")).limit(1).first();
            latestSeen.set(latest == null ? -1 : height(latest));
            return latest;
        }

        /** A docket of this register was stored at {@code height}: the search for the latest starts there from now on. */
        public void stored(long height) {
            latestSeen.accumulateAndGet(height, Math::max);
        }

        /** The latest docket when the one at {@code seen} is stored; null when it is not. */
        private Document latestFrom(long seen) {
            List<Document> found = docketsFrom(seen, LATEST_WINDOW);
            if (found.isEmpty() || height(found.get(0)) != seen) {
                return null;
            }
            Document latest = found.get(found.size() - 1);
            if (found.size() < LATEST_WINDOW) {
                return latest;
            }
            // other writers stored many since: find the greatest height from the heights alone, then read that docket
            long top = height(latest);
            int window = LATEST_WINDOW * 4;
            while (true) {
                List<Long> stored = new ArrayList<>(window);
                dockets.find(Filters.in("_id", heights(top, window))).projection(Projections.include("_id"))
                        .forEach(d -> stored.add(height(d)));
                top = stored.stream().mapToLong(Long::longValue).max().orElse(top);
                if (stored.size() < window) {
                    Document docket = dockets.find(Filters.eq("_id", top)).first();
                    return docket != null ? docket : latest;
                }
                window = Math.min(window * 4, 4_096);
            }
        }

        /**
         * The dockets stored at heights {@code from} to {@code from + count - 1}, in height order,
         * looked up by {@code _id} (a gap in the chain shows as a missing height).
         */
        public List<Document> docketsFrom(long from, int count) {
            return dockets.find(Filters.in("_id", heights(from, count))).sort(Sorts.ascending("_id")).into(new ArrayList<>(count));
        }

        private static List<Long> heights(long from, int count) {
            return LongStream.range(from, from + count).boxed().toList();
        }

        public static long height(Document docket) {
            return ((Number) docket.get("_id")).longValue();
        }
    }

    private final MongoClient client;
    private final String prefix;
    private final Set<String> indexed = ConcurrentHashMap.newKeySet();
    /** The greatest docket height seen of each register: where the search for its latest docket starts. */
    private final Map<String, AtomicLong> latestSeen = new ConcurrentHashMap<>();

    public LedgerStore(MongoClient client, RegisterProperties properties) {
        this.client = client;
        this.prefix = properties.databasePrefix();
    }

    public String databaseName(String registerId) {
        return prefix + "_register_" + registerId;
    }

    public Ledger of(String registerId) {
        MongoDatabase database = client.getDatabase(databaseName(registerId));
        Ledger ledger = new Ledger(registerId, database.getCollection("dockets"), database.getCollection("transactions"),
                latestSeen.computeIfAbsent(registerId, id -> new AtomicLong(-1)));
        if (indexed.add(registerId)) {
            MongoCollection<Document> transactions = ledger.transactions();
            transactions.createIndex(Indexes.ascending("height"));
            transactions.createIndex(Indexes.ascending("sender", "height"));
            transactions.createIndex(Indexes.ascending("recipients", "height"));
            transactions.createIndex(Indexes.ascending("blueprintId", "instanceId", "height"));
            transactions.createIndex(Indexes.ascending("timestamp"), new IndexOptions().name("timestamp"));
            ledger.dockets().createIndex(Indexes.ascending("hash"));
            ledger.dockets().createIndex(Indexes.ascending("lastSeq"));
            // the few dockets that seal sealing key changes
            ledger.dockets().createIndex(Indexes.ascending("keyChanges"), new IndexOptions().sparse(true));
        }
        return ledger;
    }
}
