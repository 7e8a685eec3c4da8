package dev.cairn.register.ledger;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import org.bson.Document;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import dev.cairn.ledger.ChainCheck;
import dev.cairn.ledger.ChainRules;
import dev.cairn.ledger.LedgerHashes;
import dev.cairn.ledger.MerkleTree;
import dev.cairn.ledger.SealingKeys;

/**
 * Walks a register's whole chain from height 0 with the rules of {@link ChainCheck} (hashes,
 * signatures, links, Merkle roots, sealing keys in force at each height), and checks what only
 * the stored documents can get wrong: that each record is stored in its canonical form, that the
 * fields queries use agree with the signed content, that what the register keeps with each
 * docket to sign and seal by ({@link DocketTrust}) is what the chain says, and that the signed
 * tree head it serves matches the chain. Reports the first height that fails, and why.
 *
 * <p>Reads the stored documents as they are, not through any cache: one thread reads the next
 * dockets and their transactions from MongoDB while the records read before are checked, each
 * record's own hash and signature on every core.
 */
@Component
public class ChainVerifier {

    public record Result(boolean ok, long height, String reason, long dockets, long transactions, String treeHead, String genesisHash) {
    }

    /** The fields the write path copies out of each transaction for queries ({@link DocketWriter#transactionDocument}). */
    private static final List<String> QUERIED_FIELDS = List.of("sender", "type", "blueprintId", "instanceId", "timestamp");
    private static final int DOCKETS_PER_BATCH = 200;
    private static final int TRANSACTIONS_PER_BATCH = 2_000;

    private final LedgerStore store;
    private final TreeHeads heads;
    private final JsonMapper json;

    public ChainVerifier(LedgerStore store, TreeHeads heads, JsonMapper json) {
        this.store = store;
        this.heads = heads;
        this.json = json;
    }

    /** A stored record, parsed, with its own checks made. */
    private record Checked(Document stored, JsonNode record, String ownProblem) {
    }

    /** Some dockets in height order and the stored transactions they list; no dockets at the end, or the read's failure. */
    private record Slice(List<Document> dockets, Map<String, Document> transactions, RuntimeException failure) {
    }

    public Result verify(String registerId) {
        return verify(registerId, null);
    }

    /** The same, refusing a genesis docket other than {@code trustedGenesis} when it is given (a replica's pinned one). */
    public Result verify(String registerId, String trustedGenesis) {
        LedgerStore.Ledger ledger = store.of(registerId);
        // the head kept now covers at most the dockets sealed now, all of which the walk reads
        Optional<JsonNode> head = heads.current(registerId);
        ChainCheck chain = new ChainCheck(registerId);
        if (trustedGenesis != null) {
            chain.trustGenesis(trustedGenesis);
        }
        AtomicBoolean stop = new AtomicBoolean();
        BlockingQueue<Slice> slices = new ArrayBlockingQueue<>(2);
        Thread reader = new Thread(() -> read(ledger, slices, stop), "chain-verifier-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            Walk walk = new Walk();
            while (!chain.failed()) {
                Slice slice = slices.take();
                if (slice.failure() != null) {
                    throw slice.failure();
                }
                if (slice.dockets().isEmpty()) {
                    break;
                }
                check(chain, slice, walk);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while verifying", e);
        } finally {
            stop.set(true);
            reader.interrupt();
        }
        if (!chain.failed()) {
            head.ifPresent(chain::head);
        }
        ChainCheck.Result result = chain.finish();
        return new Result(result.ok(), result.height(), result.reason(), result.dockets(), result.transactions(), result.treeHead(),
                result.genesisHash());
    }

    /** Where the walk is: the next height expected, and the docket tree so far. */
    private static final class Walk {
        long expected;
        List<byte[]> frontier = List.of();
    }

    private static void read(LedgerStore.Ledger ledger, BlockingQueue<Slice> slices, AtomicBoolean stop) {
        try {
            long next = 0;
            while (!stop.get()) {
                List<Document> batch = ledger.docketsFrom(next, DOCKETS_PER_BATCH);
                if (batch.isEmpty()) {
                    // none at the next heights: the end of the chain, unless dockets are stored above a gap (the walk reports it)
                    batch = ledger.dockets().find(Filters.gte("_id", next)).sort(Sorts.ascending("_id")).limit(DOCKETS_PER_BATCH)
                            .into(new ArrayList<>());
                }
                if (batch.isEmpty()) {
                    hand(slices, new Slice(List.of(), Map.of(), null), stop);
                    return;
                }
                int from = 0;
                while (from < batch.size() && !stop.get()) {
                    int to = from;
                    int count = 0;
                    while (to < batch.size() && (to == from || count + ids(batch.get(to)).size() <= TRANSACTIONS_PER_BATCH)) {
                        count += ids(batch.get(to++)).size();
                    }
                    List<Document> dockets = batch.subList(from, to);
                    List<String> ids = dockets.stream().flatMap(d -> ids(d).stream()).toList();
                    Map<String, Document> transactions = ledger.transactions().find(Filters.in("_id", ids)).into(new ArrayList<>()).stream()
                            .collect(Collectors.toMap(d -> String.valueOf(d.get("_id")), Function.identity(), (a, b) -> a));
                    hand(slices, new Slice(dockets, transactions, null), stop);
                    from = to;
                }
                next = ((Number) batch.get(batch.size() - 1).get("_id")).longValue() + 1;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            try {
                hand(slices, new Slice(List.of(), Map.of(), e), stop);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits for room in the queue unless the walk stopped. */
    private static void hand(BlockingQueue<Slice> slices, Slice slice, AtomicBoolean stop) throws InterruptedException {
        while (!stop.get() && !slices.offer(slice, 100, TimeUnit.MILLISECONDS)) {
            // the checks are behind; wait
        }
    }

    /** The ids a stored docket lists (none when the field is missing or malformed: the signed docket is compared with it). */
    private static List<String> ids(Document docket) {
        Object ids = docket.get("transactionIds");
        if (!(ids instanceof List<?> list)) {
            return List.of();
        }
        return list.stream().map(String::valueOf).toList();
    }

    /** Checks a slice's dockets (contiguous from the expected height) and their transactions. */
    private void check(ChainCheck chain, Slice slice, Walk walk) {
        List<Checked> dockets = slice.dockets().parallelStream().map(d -> parse(d, "the stored docket")).toList();
        Map<String, Checked> transactions = slice.transactions().values().parallelStream()
                .map(d -> parse(d, "transaction " + d.get("_id"))).collect(Collectors.toMap(c -> String.valueOf(c.stored().get("_id")),
                        Function.identity()));
        for (Checked docket : dockets) {
            long height = ((Number) docket.stored().get("_id")).longValue();
            if (height != walk.expected) {
                chain.failAt(walk.expected, "docket missing (the next stored height is " + height + ")");
                return;
            }
            if (!chain.docket(docket.record(), docket.ownProblem())) {
                return;
            }
            String problem = storedDocketProblem(docket);
            List<String> keyChanges = new ArrayList<>();
            for (String txId : ChainRules.transactionIds(docket.record())) {
                if (problem != null) {
                    break;
                }
                Checked tx = transactions.get(txId);
                if (tx == null) {
                    problem = "transaction " + txId + " is missing";
                } else if (!chain.transaction(tx.record(), tx.ownProblem())) {
                    return;
                } else {
                    problem = storedTransactionProblem(tx, height);
                    if (SealingKeys.isKeyChange(tx.record())) {
                        keyChanges.add(txId);
                    }
                }
            }
            if (problem == null && !chain.endDocket()) {
                return;
            }
            walk.frontier = MerkleTree.append(walk.frontier, height, LedgerHashes.bytes(docket.record().path("hash").asString()));
            List<Object> kept = DocketTrust.kept(docket.stored());
            if (problem == null && kept != null
                    && !kept.equals(DocketTrust.expected(new DocketTrust.After(height, chain.keysAt(height + 1), walk.frontier), keyChanges))) {
                problem = "what the register keeps with the docket to seal the next one by (its sealing keys, docket tree or key changes)"
                        + " is not what the chain says";
            }
            if (problem != null) {
                chain.failAt(height, problem);
                return;
            }
            walk.expected++;
        }
    }

    private Checked parse(Document stored, String what) {
        Object raw = stored.get("raw");
        if (stored.get("_id") == null || !(raw instanceof String text)
                || (what.startsWith("the stored docket") ? !(stored.get("_id") instanceof Number) : !(stored.get("height") instanceof Number))) {
            return new Checked(stored, json.createObjectNode(), what + " is malformed in MongoDB");
        }
        JsonNode record;
        try {
            record = json.readTree(text);
        } catch (RuntimeException e) {
            return new Checked(stored, json.createObjectNode(), what + " is not valid JSON");
        }
        String problem = ChainRules.textProblem(text, record, what);
        if (problem == null) {
            problem = what.startsWith("the stored docket") ? ChainRules.docketSelfProblem(record) : ChainRules.transactionSelfProblem(record);
        }
        return new Checked(stored, record, problem);
    }

    private static String storedDocketProblem(Checked docket) {
        if (!docket.record().path("hash").asString("").equals(docket.stored().get("hash"))) {
            return "the stored hash differs from the signed one";
        }
        if (!ChainRules.transactionIds(docket.record()).equals(docket.stored().get("transactionIds"))) {
            return "the stored list of transactions differs from the signed one";
        }
        return null;
    }

    private static String storedTransactionProblem(Checked tx, long height) {
        Document document = tx.stored();
        String txId = String.valueOf(document.get("_id"));
        if (((Number) document.get("height")).longValue() != height) {
            return "transaction " + txId + " is recorded at another height";
        }
        for (String field : QUERIED_FIELDS) {
            if (!Objects.equals(tx.record().path(field).asString(null), document.get(field))) {
                return "transaction " + txId + ": the stored " + field + " differs from the signed one";
            }
        }
        Object recipients = document.get("recipients");
        if (!(recipients instanceof List<?> list)
                || !new HashSet<>(ChainRules.strings(tx.record().path("recipients"))).equals(new HashSet<Object>(list))) {
            return "transaction " + txId + ": the stored recipients differ from the signed ones";
        }
        return null;
    }
}
