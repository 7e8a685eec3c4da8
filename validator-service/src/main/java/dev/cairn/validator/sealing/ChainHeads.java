package dev.cairn.validator.sealing;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.stereotype.Component;

import dev.cairn.ledger.LedgerHashes;
import dev.cairn.ledger.MerkleTree;
import dev.cairn.ledger.SealingKeys;
import dev.cairn.validator.clients.RegisterClient;
import dev.cairn.validator.mempool.Mempool;

/**
 * Where each register's chain stands, as this replica seals it: the latest docket, the sealing
 * keys in force for the next, and the docket tree after it. A head is learnt from the register
 * service the first time a lease epoch is held, after marking sealed every pending transaction
 * that dockets since the last mark list (a leader may have died between writing a docket and
 * marking it), and moves on with every docket written here, checked against the register's
 * answer.
 */
@Component
class ChainHeads {

    /**
     * The register's latest docket as this replica knows it, the sealing keys in force for the next,
     * and the docket tree after it as computed here (null until this installation sealed on it).
     */
    record Head(long epoch, long height, String hash, SealingKeys keys, List<byte[]> frontier) {
    }

    private static final Logger log = LoggerFactory.getLogger(ChainHeads.class);
    private static final int RECONCILE_LIMIT = 1000;

    private final Mempool mempool;
    private final RegisterClient registers;
    private final TreeHeadPublisher treeHeads;
    private final SealedChains sealedChains;
    private final Clock clock;
    private final MongoCollection<Document> marks;
    private final Map<String, Head> heads = new ConcurrentHashMap<>();

    ChainHeads(Mempool mempool, RegisterClient registers, TreeHeadPublisher treeHeads, SealedChains sealedChains, Clock clock,
            MongoDatabaseFactory databases) {
        this.mempool = mempool;
        this.registers = registers;
        this.treeHeads = treeHeads;
        this.sealedChains = sealedChains;
        this.clock = clock;
        this.marks = databases.getMongoDatabase().getCollection("sealed_marks");
    }

    /** The head to seal on under this lease epoch: the one known here, or learnt from the register when the epoch is new. */
    Head current(String registerId, long epoch) {
        Head head = heads.get(registerId);
        return head != null && head.epoch() == epoch ? head : reconcile(registerId, epoch);
    }

    /** Forgets the register's head: the next docket starts from the register's own. */
    void forget(String registerId) {
        heads.remove(registerId);
    }

    /**
     * Marks a docket's transactions sealed and moves the head on. The docket tree and the keys after
     * the docket are computed here, from the head before it and the key changes it seals; the
     * register's answer ({@code written}) must agree, or this installation stops sealing the
     * register ({@link SealedChains.HistoryMismatch}). Then the tree head is signed over what was
     * computed here.
     */
    void sealedAt(String registerId, List<String> ids, Head before, String hash, long epoch, SealingKeys keysAfter, JsonNode written) {
        long height = before.height() + 1;
        mempool.markSealed(registerId, ids, height, clock.instant());
        mark(registerId, height);
        List<byte[]> frontier;
        if (before.frontier() != null) {
            frontier = MerkleTree.append(before.frontier(), height, LedgerHashes.bytes(hash));
            if (!LedgerHashes.hex(MerkleTree.frontierRoot(frontier)).equals(written.path("rootHash").asString())) {
                throw new SealedChains.HistoryMismatch("the register's docket tree after height " + height + " is not the one sealed here");
            }
        } else {
            // first docket this installation seals on the register: its tree so far is taken from the register
            frontier = new ArrayList<>();
            for (JsonNode node : written.path("frontier").values()) {
                frontier.add(LedgerHashes.bytes(node.asString()));
            }
        }
        JsonNode answered = written.path(SealingKeys.FIELD);
        if (answered.isArray() && !SealingKeys.parse(answered, "the register's sealing keys").equals(keysAfter)) {
            throw new SealedChains.HistoryMismatch("the register's sealing keys after height " + height + " are not those sealed here");
        }
        sealedChains.record(registerId, new SealedChains.Known(height, hash, frontier, keysAfter));
        heads.put(registerId, new Head(epoch, height, hash, keysAfter, frontier));
        treeHeads.submit(new TreeHeadPublisher.Pending(registerId, height + 1, LedgerHashes.hex(MerkleTree.frontierRoot(frontier)), hash,
                before.keys(), keysAfter));
    }

    /** The register's head, after marking sealed what dockets written since the last mark hold. */
    private Head reconcile(String registerId, long epoch) {
        Optional<JsonNode> latest = registers.latestDocket(registerId);
        if (latest.isEmpty()) {
            if (sealedChains.known(registerId).isPresent()) {
                throw new SealedChains.HistoryMismatch("the register has no dockets, but this installation sealed some");
            }
            Head head = new Head(epoch, -1, LedgerHashes.GENESIS_PREVIOUS_HASH, SealingKeys.of(List.of()), List.of());
            heads.put(registerId, head);
            return head;
        }
        long height = latest.get().path("height").asLong();
        Document mark = marks.find(Filters.eq("_id", registerId)).first();
        long marked = mark == null ? -1 : mark.get("height", Number.class).longValue();
        Instant now = clock.instant();
        for (long h = Math.max(marked + 1, height - RECONCILE_LIMIT); h <= height; h++) {
            JsonNode docket = h == height ? latest.get() : registers.docket(registerId, h);
            List<String> ids = new ArrayList<>();
            docket.path("transactionIds").values().forEach(id -> ids.add(id.asString()));
            mempool.markSealed(registerId, ids, h, now);
        }
        if (height > marked) {
            log.info("Register {} is at height {}; marked the transactions of dockets {} to {} sealed", registerId, height, marked + 1, height);
        }
        mark(registerId, height);
        Head head = continued(registerId, epoch, height, latest.get().path("hash").stringValue());
        heads.put(registerId, head);
        return head;
    }

    /** Records that the transactions of every docket up to {@code height} are marked sealed. */
    private void mark(String registerId, long height) {
        marks.updateOne(Filters.eq("_id", registerId), Updates.combine(Updates.max("height", height), Updates.set("at", new Date())),
                new UpdateOptions().upsert(true));
    }

    /**
     * The head to seal on: the register's latest docket, which must continue what this installation
     * sealed last (the same docket at that height). When it is that very docket, the docket tree
     * and keys computed here carry on; dockets sealed after it elsewhere (a replica that died before
     * recording its docket) are taken from the register, and checked again from the next answer on.
     */
    private Head continued(String registerId, long epoch, long height, String hash) {
        Optional<SealedChains.Known> known = sealedChains.known(registerId);
        if (known.isPresent()) {
            SealedChains.Known last = known.get();
            if (height < last.height()) {
                throw new SealedChains.HistoryMismatch("the register is at height " + height + ", below height " + last.height()
                        + " that this installation sealed");
            }
            String stored = height == last.height() ? hash : registers.docket(registerId, last.height()).path("hash").asString("");
            if (!stored.equals(last.hash())) {
                throw new SealedChains.HistoryMismatch("the register's docket at height " + last.height() + " is not the one sealed here");
            }
            if (height == last.height()) {
                treeHeads.submit(new TreeHeadPublisher.Pending(registerId, height + 1, LedgerHashes.hex(MerkleTree.frontierRoot(last.frontier())),
                        hash, last.keys(), last.keys()));
                return new Head(epoch, height, hash, last.keys(), last.frontier());
            }
        }
        SealingKeys keys = registers.sealingKeys(registerId).orElseThrow(() -> new IllegalStateException("register " + registerId
                + " has a docket but no sealing keys"));
        return new Head(epoch, height, hash, keys, null);
    }
}
