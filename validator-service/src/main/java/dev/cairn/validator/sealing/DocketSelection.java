package dev.cairn.validator.sealing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.cairn.ledger.RuleException;
import dev.cairn.ledger.SealingKeys;
import dev.cairn.validator.mempool.Mempool;
import dev.cairn.validator.mempool.TransactionChecks;

/**
 * Which of a register's pending transactions go into its next docket, in arrival order: as many
 * as fit the docket's byte limit (the first always does). Left out to wait for a later docket: a
 * transaction whose previous transaction is still pending outside this docket. Refused, with the
 * reason: one too old to seal, one whose previous transaction was rejected or is not in the
 * register, a key change the rules refuse. No I/O: the register is asked only through
 * {@code sealedInRegister}, and refusals are returned for the caller to record.
 */
final class DocketSelection {

    /** A pending transaction that can never be sealed, and why. */
    record Refusal(Mempool.Entry entry, String reason) {
    }

    /**
     * @param full      the docket is as large as it may be, so more is likely waiting
     * @param keysAfter the sealing keys after the docket's key changes
     */
    record Chosen(List<String> ids, List<JsonNode> transactions, SealingKeys keysAfter, boolean full, List<Refusal> refusals) {
    }

    /** The docket limits: its size in bytes and the oldest transaction it may still seal. */
    record Limits(long maxBytes, Duration maxAge) {
    }

    private DocketSelection() {
    }

    /**
     * @param pending          the register's pending transactions, oldest first
     * @param atMost           {@code pending} holds as many as a docket may (more may be waiting)
     * @param previous         the mempool entries of the pending transactions' previous transactions
     * @param keys             the sealing keys in force before the docket
     * @param sealedInRegister whether a transaction the mempool does not know is sealed in the register
     */
    static Chosen choose(List<Mempool.Entry> pending, boolean atMost, Map<String, Mempool.Entry> previous, SealingKeys keys, Instant now,
            Limits limits, Predicate<String> sealedInRegister, JsonMapper json) {
        List<JsonNode> transactions = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<Refusal> refusals = new ArrayList<>();
        Set<String> inDocket = new HashSet<>();
        long bytes = 0;
        boolean full = atMost;
        for (Mempool.Entry entry : pending) {
            int size = entry.raw().getBytes(StandardCharsets.UTF_8).length;
            if (!ids.isEmpty() && bytes + size > limits.maxBytes()) {
                full = true; // the rest goes into the next docket
                break;
            }
            JsonNode tx = json.readTree(entry.raw());
            Instant timestamp = Instant.parse(tx.path("timestamp").stringValue());
            if (timestamp.isBefore(now.minus(limits.maxAge()))) {
                refusals.add(new Refusal(entry, "expired: older than " + TransactionChecks.human(limits.maxAge()) + " before it could be sealed"));
                continue;
            }
            String previousTxId = entry.previousTxId();
            if (previousTxId != null && !inDocket.contains(previousTxId)) {
                Mempool.Entry before = previous.get(previousTxId);
                if (before != null && Mempool.PENDING.equals(before.status())) {
                    continue; // sealed in a later docket, after its previous transaction
                }
                if (before != null && Mempool.REJECTED.equals(before.status())) {
                    refusals.add(new Refusal(entry, "the previous transaction " + previousTxId + " was rejected"));
                    continue;
                }
                if (before == null && !sealedInRegister.test(previousTxId)) {
                    refusals.add(new Refusal(entry, "the previous transaction " + previousTxId + " is not in this register"));
                    continue;
                }
            }
            if (SealingKeys.isKeyChange(tx)) {
                try {
                    keys = keys.apply(tx);
                } catch (RuleException e) {
                    refusals.add(new Refusal(entry, e.getMessage()));
                    continue;
                }
            }
            transactions.add(tx);
            ids.add(entry.txId());
            inDocket.add(entry.txId());
            bytes += size;
        }
        return new Chosen(ids, transactions, keys, full, refusals);
    }
}
