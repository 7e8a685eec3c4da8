package dev.cairn.peer.protocol;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.TimeUnit;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import org.bson.Document;

import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.stereotype.Component;

import dev.cairn.peer.config.PeerProperties;

/**
 * The nonces of the messages received, shared by every replica ({@code peer_nonces}): a message
 * whose sender and nonce were seen before is a replay, whichever replica it reaches. A nonce is
 * kept for twice the message window, after which its message is refused as too old anyway.
 */
@Component
public class NonceLedger {

    private final MongoCollection<Document> nonces;
    private final Clock clock;
    private final long keepMillis;

    public NonceLedger(MongoDatabaseFactory databases, PeerProperties properties, Clock clock) {
        this.nonces = databases.getMongoDatabase().getCollection("peer_nonces");
        this.nonces.createIndex(Indexes.ascending("expiresAt"), new IndexOptions().expireAfter(0L, TimeUnit.SECONDS));
        this.clock = clock;
        this.keepMillis = properties.messageWindow().toMillis() * 2;
    }

    /** Removes nonces past their time (where the store has no TTL indexes, as the embedded MongoDB has not). */
    public void purge() {
        nonces.deleteMany(com.mongodb.client.model.Filters.lt("expiresAt", Date.from(clock.instant())));
    }

    /** Records the nonce; false when it was seen before. */
    public boolean firstUse(String from, String nonce) {
        Instant now = clock.instant();
        try {
            nonces.insertOne(new Document("_id", from + ":" + nonce).append("expiresAt", Date.from(now.plusMillis(keepMillis))));
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }
}
