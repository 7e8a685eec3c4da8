package dev.cairn.register.ledger;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import org.bson.Document;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import dev.cairn.ledger.LedgerHashes;
import dev.cairn.ledger.MerkleTree;
import dev.cairn.ledger.RuleException;
import dev.cairn.ledger.SealingKeys;

/**
 * What a register trusts after each docket, kept with the docket so that the write path and
 * the tree heads need no walk of the chain: the sealing keys in force for the next height
 * ({@code sealingKeys}) and the frontier of the docket tree ({@code frontier}, see
 * {@link MerkleTree#append}). Both follow from the chain alone; a docket stored without them
 * (sealed before they were kept), or with copies that are not what the write path stores, has
 * them rebuilt from the chain. The chain check ({@link ChainVerifier}) recomputes them from the
 * chain and reports a stored copy that differs.
 */
@Component
public class DocketTrust {

    /** After the docket at {@code height}: the keys for {@code height + 1} and the docket tree of {@code height + 1} dockets. */
    public record After(long height, SealingKeys keys, List<byte[]> frontier) {

        public long treeSize() {
            return height + 1;
        }

        public String rootHash() {
            return LedgerHashes.hex(MerkleTree.frontierRoot(frontier));
        }
    }

    /** Dockets read by height to bring a register's known key changes up to date; more than this are searched for instead. */
    private static final int LOOKED_UP_AT_ONCE = 64;
    private static final int REGISTERS_KEPT = 1_000;

    private final JsonMapper json;
    private final Map<String, KnownChanges> knownChanges = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, KnownChanges> eldest) {
            return size() > REGISTERS_KEPT;
        }
    };

    public DocketTrust(JsonMapper json) {
        this.json = json;
    }

    /**
     * The trust after a docket, from the trust after the docket before it ({@code before}, ignored
     * at height 0): the docket must be signed by a sealing key in force at its height (the genesis
     * docket by a key its genesis transaction pins, which must sign that transaction too when it
     * pins keys), its key changes apply in order, and its hash joins the docket tree.
     *
     * @throws RuleException when it is not
     */
    static After next(After before, JsonNode docket, JsonNode transactions, long height) {
        SealingKeys keys = keysAt(before, docket, transactions, height);
        if (height == 0) {
            JsonNode genesis = transactions.get(0);
            if (genesis.path("payload").has(SealingKeys.FIELD) && !keys.signed(genesis)) {
                throw new RuleException("the genesis transaction is not signed by a sealing key it pins");
            }
        }
        if (!keys.signed(docket)) {
            throw new RuleException("the docket is not signed by a sealing key of the register (signed by key "
                    + SealingKeys.Key.signerOf(docket).map(SealingKeys.Key::id).orElse("?") + "; the register's sealing keys are " + keys.ids()
                    + ")");
        }
        for (JsonNode tx : transactions.values()) {
            if (SealingKeys.isKeyChange(tx)) {
                keys = keys.apply(tx);
            }
        }
        List<byte[]> frontier = height == 0 ? List.of() : before.frontier();
        return new After(height, keys, MerkleTree.append(frontier, height, LedgerHashes.bytes(docket.path("hash").asString())));
    }

    /** The sealing keys in force at a docket's height: those its genesis transaction pins at height 0, else those after the docket before. */
    static SealingKeys keysAt(After before, JsonNode docket, JsonNode transactions, long height) {
        return height == 0 ? SealingKeys.fromGenesis(transactions.get(0), docket) : before.keys();
    }

    /** Stores {@code after} in the docket document about to be inserted, and the ids of the key changes it seals (if any). */
    static void keep(Document docket, After after, List<String> keyChanges) {
        List<Document> keys = new ArrayList<>();
        after.keys().keys().forEach(k -> keys.add(new Document("id", k.id()).append("algorithm", k.algorithm()).append("publicKey", k.publicKey())));
        docket.append("sealingKeys", keys).append("frontier", after.frontier().stream().map(LedgerHashes::hex).toList());
        if (!keyChanges.isEmpty()) {
            docket.append("keyChanges", keyChanges);
        }
    }

    /** The trust after a stored docket. */
    public After after(LedgerStore.Ledger ledger, Document docket) {
        long height = ((Number) docket.get("_id")).longValue();
        try {
            List<Document> keys = docket.getList("sealingKeys", Document.class);
            List<String> frontier = docket.getList("frontier", String.class);
            if (keys != null && frontier != null && Long.bitCount(height + 1) == frontier.size()) {
                return new After(height, SealingKeys.of(keys.stream().map(k -> new SealingKeys.Key(k.getString("id"), k.getString("algorithm"),
                        k.getString("publicKey"))).toList()), frontier.stream().map(LedgerHashes::bytes).toList());
            }
        } catch (ClassCastException | IllegalArgumentException e) {
            // not what the write path stores: rebuilt from the chain below
        }
        return rebuild(ledger, height);
    }

    /** What {@link #keep} stored with a docket, for the chain check to compare with what the chain says; null when nothing was kept. */
    static List<Object> kept(Document docket) {
        if (!docket.containsKey("sealingKeys")) {
            return null;
        }
        return java.util.Arrays.asList(docket.get("sealingKeys"), docket.get("frontier"), docket.get("keyChanges"));
    }

    /** What {@link #keep} would store for the trust after a docket that seals these key changes. */
    static List<Object> expected(After after, List<String> keyChanges) {
        Document docket = new Document();
        keep(docket, after, keyChanges);
        return java.util.Arrays.asList(docket.get("sealingKeys"), docket.get("frontier"), docket.get("keyChanges"));
    }

    /** The keys in force at {@code height} ({@code > 0}) and for the one after: what may sign a tree head of {@code height + 1} dockets. */
    public SealingKeys keysBefore(LedgerStore.Ledger ledger, long height) {
        if (height == 0) {
            Document genesisDocket = ledger.dockets().find(Filters.eq("_id", 0L)).first();
            Document genesis = ledger.transactions().find(Filters.eq("_id", genesisDocket.getList("transactionIds", String.class).get(0))).first();
            return SealingKeys.fromGenesis(json.readTree(genesis.getString("raw")), json.readTree(genesisDocket.getString("raw")));
        }
        return after(ledger, ledger.dockets().find(Filters.eq("_id", height - 1)).first()).keys();
    }

    /**
     * The key changes sealed up to {@code height} (the height of a stored docket), in order, each
     * with the height of the docket that sealed it: found through the dockets that name them
     * ({@code keyChanges}), a few among many, without reading transactions. Sealed dockets never
     * change, so what was found up to a height is kept, and a later call reads only the dockets
     * sealed since (by height, when they are few). (Dockets sealed before keys were kept hold no
     * key changes.)
     */
    public List<Change> changes(LedgerStore.Ledger ledger, long height) {
        KnownChanges known;
        synchronized (knownChanges) {
            known = knownChanges.get(ledger.registerId());
        }
        if (known == null || height - known.upTo() > LOOKED_UP_AT_ONCE) {
            known = new KnownChanges(height, changesNamedBy(ledger, ledger.dockets().find(Filters.and(Filters.exists("keyChanges"),
                    Filters.lte("_id", height))).sort(Sorts.ascending("_id"))));
        } else if (known.upTo() < height) {
            List<Document> since = new ArrayList<>();
            for (Document docket : ledger.docketsFrom(known.upTo() + 1, (int) (height - known.upTo()))) {
                if (docket.containsKey("keyChanges")) {
                    since.add(docket);
                }
            }
            List<Change> changes = new ArrayList<>(known.changes());
            changes.addAll(changesNamedBy(ledger, since));
            known = new KnownChanges(height, List.copyOf(changes));
        }
        synchronized (knownChanges) {
            knownChanges.merge(ledger.registerId(), known, (a, b) -> a.upTo() >= b.upTo() ? a : b);
        }
        return known.changes().stream().filter(change -> change.height() <= height).toList();
    }

    /** The key changes that these dockets (in height order) name, in order. */
    private List<Change> changesNamedBy(LedgerStore.Ledger ledger, Iterable<Document> dockets) {
        List<Change> changes = new ArrayList<>();
        for (Document docket : dockets) {
            long at = ((Number) docket.get("_id")).longValue();
            List<String> ids = docket.getList("keyChanges", String.class);
            for (Document tx : ledger.transactions().find(Filters.in("_id", ids))) {
                changes.add(new Change(at, ids.indexOf(tx.getString("_id")), json.readTree(tx.getString("raw"))));
            }
        }
        changes.sort(Comparator.comparingLong(Change::height).thenComparingInt(Change::index));
        return List.copyOf(changes);
    }

    /** The key changes of a register sealed up to height {@code upTo}. */
    private record KnownChanges(long upTo, List<Change> changes) {
    }

    /** A key change, sealed in the docket at {@code height}; in force from {@code height + 1}. */
    public record Change(long height, int index, JsonNode transaction) {
    }

    private After rebuild(LedgerStore.Ledger ledger, long height) {
        List<byte[]> frontier = List.of();
        long size = 0;
        for (Document d : ledger.dockets().find(Filters.lte("_id", height)).projection(Projections.include("hash")).sort(Sorts.ascending("_id"))) {
            frontier = MerkleTree.append(frontier, size++, LedgerHashes.bytes(d.getString("hash")));
        }
        SealingKeys keys = keysBefore(ledger, 0);
        for (Change change : changes(ledger, height)) {
            keys = keys.apply(change.transaction());
        }
        return new After(height, keys, frontier);
    }
}
