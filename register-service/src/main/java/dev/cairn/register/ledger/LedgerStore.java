package dev.cairn.register.ledger;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
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

    public record Ledger(String registerId, MongoCollection<Document> dockets, MongoCollection<Document> transactions) {

        /** The docket at the greatest height, or null before genesis. */
        public Document latestDocket() {
            return dockets.find().sort(Sorts.descending("_id")).limit(1).first();
        }
    }

    private final MongoClient client;
    private final String prefix;
    private final Set<String> indexed = ConcurrentHashMap.newKeySet();

    public LedgerStore(MongoClient client, RegisterProperties properties) {
        this.client = client;
        this.prefix = properties.databasePrefix();
    }

    public String databaseName(String registerId) {
        return prefix + "_register_" + registerId;
    }

    public Ledger of(String registerId) {
        MongoDatabase database = client.getDatabase(databaseName(registerId));
        Ledger ledger = new Ledger(registerId, database.getCollection("dockets"), database.getCollection("transactions"));
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
