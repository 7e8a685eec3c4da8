package dev.cairn.register.ledger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.mongodb.client.model.Filters;
import org.bson.Document;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import dev.cairn.ledger.CanonicalJson;
import dev.cairn.ledger.ChainRules;
import dev.cairn.ledger.LedgerHashes;
import dev.cairn.platform.problem.ApiException;
import dev.cairn.register.config.RegisterProperties;
import dev.cairn.register.registry.Register;
import dev.cairn.register.registry.Registry;

/**
 * Stores the dockets of a read-only replica, copied by the peer service from the register's home
 * installation: {@code {dockets: [{docket, transactions[]}, ...], head?}}.
 * <ol>
 *   <li>dockets at heights stored already must be the stored ones, byte for byte, and are
 *       skipped; another validly signed docket at a stored height is a 409 {@code height-taken}
 *       naming both hashes (evidence that the home showed two histories);</li>
 *   <li>the rest must follow the latest stored docket, and the whole batch is checked in memory
 *       ({@link ReplicaBatch}) before anything is stored: every rule of the validator write path,
 *       the sealing keys carried forward across the batch, the genesis docket the one pinned when
 *       the replica was created, and the home's signed tree head when it ends within the batch.
 *       A failure is a 400 {@code invalid-docket} with its {@code height} and {@code reason}, and
 *       nothing is stored;</li>
 *   <li>then each docket is stored in order through the validator path's crash-safe steps
 *       ({@link DocketWriter#store}), and the head is kept as a validator's would be.</li>
 * </ol>
 * A retry of the same batch completes a write that stopped anywhere.
 */
@Component
public class ReplicaWriter {

    /** The replica after a batch: its latest docket, how many dockets this batch added, its docket tree head. */
    public record Written(String registerId, long height, String hash, int stored, long treeSize, String rootHash) {
    }

    /** Most dockets one batch (and one chain read) carries. */
    public static final int MAX_DOCKETS = 100;
    private static final int IDS_PER_QUERY = 10_000;

    private final LedgerStore store;
    private final LedgerReader reader;
    private final DocketWriter writer;
    private final DocketTrust trust;
    private final TreeHeads heads;
    private final Registry registry;
    private final RegisterProperties properties;

    public ReplicaWriter(LedgerStore store, LedgerReader reader, DocketWriter writer, DocketTrust trust, TreeHeads heads, Registry registry,
            RegisterProperties properties) {
        this.store = store;
        this.reader = reader;
        this.writer = writer;
        this.trust = trust;
        this.heads = heads;
        this.registry = registry;
        this.properties = properties;
    }

    public Written write(Register replica, JsonNode request) {
        String registerId = replica.id();
        List<ReplicaBatch.Entry> entries = entries(request);
        JsonNode head = request.path("head");
        head = head.isMissingNode() || head.isNull() ? null : head;

        LedgerStore.Ledger ledger = store.of(registerId);
        Document latest = ledger.latestDocket();
        long latestHeight = latest == null ? -1 : ((Number) latest.get("_id")).longValue();
        JsonNode firstHeight = entries.get(0).docket().path("height");
        if (!firstHeight.isIntegralNumber() || !firstHeight.canConvertToLong() || firstHeight.longValue() < 0) {
            throw invalid(latestHeight + 1, "docket height must be a whole number >= 0");
        }
        long first = firstHeight.longValue();
        if (first > latestHeight + 1) {
            throw invalid(latestHeight + 1, "the replica's next height is " + (latestHeight + 1) + ", the batch starts at " + first,
                    Map.of("nextHeight", latestHeight + 1));
        }
        int skipped = skipStored(ledger, entries, first, latestHeight);

        List<ReplicaBatch.Entry> fresh = entries.subList(skipped, entries.size());
        ReplicaBatch.Latest before = latest == null ? ReplicaBatch.Latest.NONE
                : new ReplicaBatch.Latest(latestHeight, latest.getString("hash"), trust.after(ledger, latest));
        ReplicaBatch.Result checked = ReplicaBatch.check(registerId, before, fresh, replica.replica().genesisHash(),
                properties.maxDocketTransactions(), sealedAmong(ledger, fresh), head);
        if (!checked.ok()) {
            throw invalid(checked.failedHeight(), checked.reason());
        }
        if (checked.head() == ReplicaBatch.Head.STORED) {
            String problem = heads.problem(registerId, head);
            if (problem != null) {
                throw invalid(head.path("treeSize").longValue() - 1, "the signed tree head: " + problem);
            }
        }

        Document previous = latest;
        DocketWriter.Written last = null;
        int stored = 0;
        for (DocketWriter.Sealed docket : checked.dockets()) {
            DocketWriter.Stored written = writer.store(ledger, previous, docket);
            previous = written.document();
            last = written.written();
            stored += written.inserted() ? 1 : 0;
        }
        if (checked.head() == ReplicaBatch.Head.STORED || checked.head() == ReplicaBatch.Head.CHECKED) {
            heads.accept(registerId, head);
        }
        if (last != null) {
            return new Written(registerId, last.height(), last.hash(), stored, last.treeSize(), last.rootHash());
        }
        // every docket was stored already: complete a write that stopped before moving the registry's head
        registry.advance(registerId, latestHeight, latest.getString("hash"));
        DocketTrust.After after = trust.after(ledger, latest);
        return new Written(registerId, latestHeight, latest.getString("hash"), 0, after.treeSize(), after.rootHash());
    }

    private List<ReplicaBatch.Entry> entries(JsonNode request) {
        JsonNode dockets = request.path("dockets");
        int max = MAX_DOCKETS;
        if (!request.isObject() || !dockets.isArray() || dockets.isEmpty()) {
            throw ApiException.badRequest("invalid-batch", "The body is {dockets: [{docket, transactions[]}, ...], head?} with at least one docket");
        }
        if (dockets.size() > max) {
            throw ApiException.badRequest("invalid-batch", "A batch holds at most " + max + " dockets, not " + dockets.size());
        }
        List<ReplicaBatch.Entry> entries = new ArrayList<>();
        for (JsonNode entry : dockets.values()) {
            if (!entry.isObject() || !entry.path("docket").isObject()) {
                throw ApiException.badRequest("invalid-batch", "Each of dockets is {docket, transactions[]}");
            }
            entries.add(new ReplicaBatch.Entry(entry.path("docket"), entry.path("transactions")));
        }
        return entries;
    }

    /**
     * The batch's first dockets, at heights stored already: each must be the stored one, byte for
     * byte. Another validly signed docket there is a conflict.
     *
     * @return how many dockets the batch starts with that are stored already
     */
    private int skipStored(LedgerStore.Ledger ledger, List<ReplicaBatch.Entry> entries, long first, long latestHeight) {
        int overlap = (int) Math.min(entries.size(), Math.max(0, latestHeight - first + 1));
        if (overlap == 0) {
            return 0;
        }
        Map<Long, Document> stored = new HashMap<>();
        ledger.docketsFrom(first, overlap).forEach(d -> stored.put(LedgerStore.Ledger.height(d), d));
        for (int i = 0; i < overlap; i++) {
            long height = first + i;
            JsonNode docket = entries.get(i).docket();
            Document sealed = stored.get(height);
            if (sealed == null) {
                throw new IllegalStateException("docket " + height + " of register " + ledger.registerId() + " is missing below its latest");
            }
            String raw;
            try {
                raw = CanonicalJson.string(docket);
            } catch (IllegalArgumentException e) {
                throw invalid(height, "the docket has no canonical form: " + e.getMessage());
            }
            if (raw.equals(sealed.getString("raw"))) {
                continue;
            }
            String problem = ChainRules.docketSelfProblem(docket);
            if (problem == null && (!ledger.registerId().equals(docket.path("registerId").asString(null))
                    || docket.path("height").asLong(-1) != height)) {
                problem = "the docket names another register or height";
            }
            if (problem == null && height == 0 && !docket.path("hash").asString().equals(sealed.getString("hash"))) {
                problem = "the genesis docket is " + docket.path("hash").asString() + ", not the home's genesis docket "
                        + sealed.getString("hash") + " pinned when the replica was created";
            }
            if (problem == null && !trust.keysBefore(ledger, height).signed(docket)) {
                problem = "the docket is not signed by a sealing key in force at its height";
            }
            if (problem != null) {
                throw invalid(height, problem);
            }
            throw DocketWriter.heightTaken(height, sealed.getString("hash"), docket.path("hash").asString());
        }
        return overlap;
    }

    /** The ids of the batch's transactions that a stored docket lists, with its height. */
    private Map<String, Long> sealedAmong(LedgerStore.Ledger ledger, List<ReplicaBatch.Entry> entries) {
        List<String> ids = new ArrayList<>();
        for (ReplicaBatch.Entry entry : entries) {
            if (entry.transactions().isArray()) {
                entry.transactions().values().forEach(tx -> {
                    String txId = tx.path("txId").asString(null);
                    if (LedgerHashes.isHash(txId)) {
                        ids.add(txId);
                    }
                });
            }
        }
        Map<String, Long> sealed = new LinkedHashMap<>();
        for (int from = 0; from < ids.size(); from += IDS_PER_QUERY) {
            List<String> some = ids.subList(from, Math.min(ids.size(), from + IDS_PER_QUERY));
            ledger.transactions().find(Filters.in("_id", some)).forEach(tx -> {
                if (reader.sealed(ledger.registerId(), tx)) {
                    sealed.put(tx.getString("_id"), ((Number) tx.get("height")).longValue());
                }
            });
        }
        return sealed;
    }

    private static ApiException invalid(long height, String reason) {
        return invalid(height, reason, Map.of());
    }

    private static ApiException invalid(long height, String reason, Map<String, Object> more) {
        Map<String, Object> properties = new LinkedHashMap<>(more);
        properties.put("height", height);
        properties.put("reason", reason);
        return new ApiException(HttpStatus.BAD_REQUEST, "invalid-docket", "Invalid request", reason, properties);
    }
}
