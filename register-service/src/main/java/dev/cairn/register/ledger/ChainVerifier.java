package dev.cairn.register.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import org.bson.Document;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import dev.cairn.platform.ledger.LedgerHashes;

/**
 * Walks a register's whole chain from height 0: contiguous heights, each docket's hash and
 * signature, its link to the previous docket, its Merkle root over its transaction ids, and
 * for every transaction its id (recomputed from its content), its signature, and that the
 * fields queries use agree with the signed content. Reports the first height that fails, and
 * why. Reads the stored documents as they are, not through any cache.
 */
@Component
public class ChainVerifier {

    public record Result(boolean ok, long height, String reason, long dockets, long transactions) {
    }

    private static final int BATCH = 200;

    private final LedgerStore store;
    private final JsonMapper json;

    public ChainVerifier(LedgerStore store, JsonMapper json) {
        this.store = store;
        this.json = json;
    }

    public Result verify(String registerId) {
        LedgerStore.Ledger ledger = store.of(registerId);
        long expected = 0;
        String previousHash = LedgerHashes.GENESIS_PREVIOUS_HASH;
        long transactions = 0;
        while (true) {
            List<Document> batch = ledger.dockets().find(Filters.gte("_id", expected)).sort(Sorts.ascending("_id")).limit(BATCH)
                    .into(new ArrayList<>());
            if (batch.isEmpty()) {
                return new Result(true, expected - 1, null, expected, transactions);
            }
            for (Document stored : batch) {
                long height = ((Number) stored.get("_id")).longValue();
                if (height != expected) {
                    return failed(expected, "docket missing (the next stored height is " + height + ")", expected, transactions);
                }
                String problem = docketProblem(registerId, stored, previousHash);
                if (problem == null) {
                    problem = transactionsProblem(ledger, registerId, stored);
                }
                if (problem != null) {
                    return failed(height, problem, expected, transactions);
                }
                transactions += stored.getList("transactionIds", String.class).size();
                previousHash = stored.getString("hash");
                expected++;
            }
        }
    }

    private String docketProblem(String registerId, Document stored, String previousHash) {
        JsonNode docket;
        try {
            docket = json.readTree(stored.getString("raw"));
        } catch (RuntimeException e) {
            return "the stored docket is not valid JSON";
        }
        String problem = ChainRules.docketProblem(docket, registerId, ((Number) stored.get("_id")).longValue(), previousHash);
        if (problem != null) {
            return problem;
        }
        if (!docket.path("hash").asString("").equals(stored.getString("hash"))) {
            return "the stored hash differs from the signed one";
        }
        if (!ChainRules.transactionIds(docket).equals(stored.getList("transactionIds", String.class))) {
            return "the stored list of transactions differs from the signed one";
        }
        return null;
    }

    private String transactionsProblem(LedgerStore.Ledger ledger, String registerId, Document docket) {
        long height = ((Number) docket.get("_id")).longValue();
        List<String> ids = docket.getList("transactionIds", String.class);
        Map<String, Document> stored = ledger.transactions().find(Filters.in("_id", ids)).into(new ArrayList<>()).stream()
                .collect(Collectors.toMap(document -> document.getString("_id"), Function.identity()));
        for (String txId : ids) {
            Document document = stored.get(txId);
            if (document == null) {
                return "transaction " + txId + " is missing";
            }
            if (((Number) document.get("height")).longValue() != height) {
                return "transaction " + txId + " is recorded at another height";
            }
            JsonNode tx;
            try {
                tx = json.readTree(document.getString("raw"));
            } catch (RuntimeException e) {
                return "transaction " + txId + " is not valid JSON";
            }
            String problem = ChainRules.transactionProblem(tx, registerId, txId);
            if (problem != null) {
                return problem;
            }
            Document expected = DocketWriter.transactionDocument(tx, height);
            for (String field : List.of("sender", "type", "blueprintId", "instanceId", "timestamp")) {
                if (!Objects.equals(expected.get(field), document.get(field))) {
                    return "transaction " + txId + ": the stored " + field + " differs from the signed one";
                }
            }
            if (!new java.util.HashSet<>(expected.getList("recipients", String.class))
                    .equals(new java.util.HashSet<>(document.getList("recipients", String.class)))) {
                return "transaction " + txId + ": the stored recipients differ from the signed ones";
            }
        }
        return null;
    }

    private static Result failed(long height, String reason, long dockets, long transactions) {
        return new Result(false, height, reason, dockets, transactions);
    }
}
