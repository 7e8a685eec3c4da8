package dev.cairn.validator.sealing;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;

import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.stereotype.Component;

import dev.cairn.ledger.LedgerHashes;
import dev.cairn.ledger.SealingKeys;

/**
 * What this installation's validators sealed last on each register, as they computed it
 * themselves: the height and hash of the docket, the docket tree after it, and the sealing keys
 * for the next one ({@code sealed_chains} collection, shared by the replicas). A leader checks the
 * register against it before sealing on, and the register's answer to each docket against its own
 * computation, so that it never extends, or signs a tree head over, a history changed behind its
 * back ({@link HistoryMismatch}).
 */
@Component
class SealedChains {

    /** A docket this installation sealed, and what follows from the chain up to it. */
    record Known(long height, String hash, List<byte[]> frontier, SealingKeys keys) {
    }

    /** The register does not hold the history this installation sealed: sealing it stops. */
    static final class HistoryMismatch extends RuntimeException {
        HistoryMismatch(String message) {
            super(message);
        }
    }

    private final MongoCollection<Document> chains;

    SealedChains(MongoDatabaseFactory databases) {
        this.chains = databases.getMongoDatabase().getCollection("sealed_chains");
    }

    Optional<Known> known(String registerId) {
        Document d = chains.find(Filters.eq("_id", registerId)).first();
        if (d == null) {
            return Optional.empty();
        }
        List<SealingKeys.Key> keys = new ArrayList<>();
        d.getList("keys", Document.class).forEach(k -> keys.add(new SealingKeys.Key(k.getString("id"), k.getString("algorithm"),
                k.getString("publicKey"))));
        return Optional.of(new Known(d.get("height", Number.class).longValue(), d.getString("hash"),
                d.getList("frontier", String.class).stream().map(LedgerHashes::bytes).toList(), SealingKeys.of(keys)));
    }

    /** Records a sealed docket; a record of a greater height is never replaced by a lower one. */
    void record(String registerId, Known known) {
        List<Document> keys = known.keys().keys().stream()
                .map(k -> new Document("id", k.id()).append("algorithm", k.algorithm()).append("publicKey", k.publicKey())).toList();
        List<String> frontier = known.frontier().stream().map(LedgerHashes::hex).toList();
        var update = Updates.combine(Updates.set("height", known.height()), Updates.set("hash", known.hash()), Updates.set("frontier", frontier),
                Updates.set("keys", keys));
        if (chains.updateOne(Filters.and(Filters.eq("_id", registerId), Filters.lt("height", known.height())), update).getMatchedCount() == 0) {
            try {
                chains.insertOne(new Document("_id", registerId).append("height", known.height()).append("hash", known.hash())
                        .append("frontier", frontier).append("keys", keys));
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
                // recorded already, at this height or above
            }
        }
    }
}
