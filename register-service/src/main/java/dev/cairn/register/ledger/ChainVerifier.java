package dev.cairn.register.ledger;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
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

/**
 * Walks a register's whole chain from height 0 with the rules of {@link ChainCheck} (hashes,
 * signatures, links, Merkle roots, sealing keys in force at each height), checks that the fields
 * queries use agree with the signed content, and that the signed tree head the register serves
 * matches the chain. Reports the first height that fails, and why. Reads the stored documents as
 * they are, not through any cache; each record's own hash and signature are checked on every
 * core.
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

    public Result verify(String registerId) {
        LedgerStore.Ledger ledger = store.of(registerId);
        ChainCheck chain = new ChainCheck(registerId);
        AtomicBoolean stop = new AtomicBoolean();
        BlockingQueue<Slice> slices = new ArrayBlockingQueue<>(2);
        // one thread reads the next dockets and their transactions from MongoDB while the records read before are checked
        Thread reader = new Thread(() -> read(ledger, slices, stop), "chain-verifier-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            long expected = 0;
            while (!chain.failed()) {
                Slice slice = take(slices);
                if (slice.failure() != null) {
                    throw slice.failure();
                }
                if (slice.dockets().isEmpty()) {
                    break;
                }
                expected = check(chain, slice, expected);
            }
        } finally {
            stop.set(true);
            slices.clear();
            reader.interrupt();
        }
        if (!chain.failed()) {
            heads.current(registerId).ifPresent(chain::head);
        }
        ChainCheck.Result result = chain.finish();
        return new Result(result.ok(), result.height(), result.reason(), result.dockets(), result.transactions(), result.treeHead(),
                result.genesisHash());
    }

    /** Some dockets in height order and the stored transactions they list; no dockets at the end, or the read's failure. */
    private record Slice(List<Document> dockets, Map<String, Document> transactions, RuntimeException failure) {
    }

    private static void read(LedgerStore.Ledger ledger, BlockingQueue<Slice> slices, AtomicBoolean stop) {
        try {
            long next = 0;
            while (!stop.get()) {
                List<Document> batch = ledger.dockets().find(Filters.gte("_id", next)).sort(Sorts.ascending("_id")).limit(DOCKETS_PER_BATCH)
                        .into(new ArrayList<>());
                if (batch.isEmpty()) {
                    slices.put(new Slice(List.of(), Map.of(), null));
                    return;
                }
                int from = 0;
                while (from < batch.size() && !stop.get()) {
                    int to = from;
                    int count = 0;
                    while (to < batch.size() && (to == from || count + size(batch.get(to)) <= TRANSACTIONS_PER_BATCH)) {
                        count += size(batch.get(to++));
                    }
                    List<Document> dockets = batch.subList(from, to);
                    List<String> ids = dockets.stream().flatMap(d -> d.getList("transactionIds", String.class).stream()).toList();
                    Map<String, Document> transactions = ledger.transactions().find(Filters.in("_id", ids)).into(new ArrayList<>()).stream()
                            .collect(Collectors.toMap(d -> d.getString("_id"), Function.identity()));
                    slices.put(new Slice(dockets, transactions, null));
                    from = to;
                }
                next = ((Number) batch.get(batch.size() - 1).get("_id")).longValue() + 1;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            slices.offer(new Slice(List.of(), Map.of(), e));
        }
    }

    private static int size(Document docket) {
        List<String> ids = docket.getList("transactionIds", String.class);
        return ids == null ? 0 : ids.size();
    }

    private static Slice take(BlockingQueue<Slice> slices) {
        try {
            return slices.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while verifying", e);
        }
    }

    /** Checks dockets (contiguous from {@code expected}) and their transactions; answers the next expected height. */
    private long check(ChainCheck chain, Slice slice, long expected) {
        List<Checked> docketChecks = slice.dockets().parallelStream().map(d -> parse(d, true)).toList();
        Map<String, Checked> txChecks = slice.transactions().values().parallelStream().map(d -> parse(d, false))
                .collect(Collectors.toMap(c -> c.stored().getString("_id"), Function.identity()));
        for (Checked docket : docketChecks) {
            long height = ((Number) docket.stored().get("_id")).longValue();
            if (height != expected) {
                chain.failAt(expected, "docket missing (the next stored height is " + height + ")");
                return expected;
            }
            if (!chain.docket(docket.record(), docket.ownProblem())) {
                return expected;
            }
            String problem = storedDocketProblem(docket);
            for (String txId : ChainRules.transactionIds(docket.record())) {
                if (problem != null) {
                    break;
                }
                Checked tx = txChecks.get(txId);
                if (tx == null) {
                    problem = "transaction " + txId + " is missing";
                } else if (!chain.transaction(tx.record(), tx.ownProblem())) {
                    return expected;
                } else {
                    problem = storedTransactionProblem(tx, height);
                }
            }
            if (problem != null) {
                chain.failAt(height, problem);
                return expected;
            }
            expected++;
        }
        return expected;
    }

    private Checked parse(Document stored, boolean docket) {
        JsonNode record;
        try {
            record = json.readTree(stored.getString("raw"));
        } catch (RuntimeException e) {
            return new Checked(stored, json.createObjectNode(), "the stored " + (docket ? "docket" : "transaction " + stored.get("_id"))
                    + " is not valid JSON");
        }
        return new Checked(stored, record, docket ? ChainRules.docketSelfProblem(record) : ChainRules.transactionSelfProblem(record));
    }

    private static String storedDocketProblem(Checked docket) {
        if (!docket.record().path("hash").asString("").equals(docket.stored().getString("hash"))) {
            return "the stored hash differs from the signed one";
        }
        if (!ChainRules.transactionIds(docket.record()).equals(docket.stored().getList("transactionIds", String.class))) {
            return "the stored list of transactions differs from the signed one";
        }
        return null;
    }

    private static String storedTransactionProblem(Checked tx, long height) {
        Document document = tx.stored();
        String txId = document.getString("_id");
        if (((Number) document.get("height")).longValue() != height) {
            return "transaction " + txId + " is recorded at another height";
        }
        for (String field : QUERIED_FIELDS) {
            if (!Objects.equals(tx.record().path(field).asString(null), document.get(field))) {
                return "transaction " + txId + ": the stored " + field + " differs from the signed one";
            }
        }
        List<String> recipients = document.getList("recipients", String.class);
        if (recipients == null || !new HashSet<>(ChainRules.strings(tx.record().path("recipients"))).equals(new HashSet<>(recipients))) {
            return "transaction " + txId + ": the stored recipients differ from the signed ones";
        }
        return null;
    }
}
