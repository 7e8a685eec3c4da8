package dev.cairn.register.ledger;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;

import dev.cairn.ledger.ChainRules;
import dev.cairn.ledger.LedgerHashes;
import dev.cairn.ledger.RuleException;
import dev.cairn.ledger.SealingKeys;
import dev.cairn.ledger.TreeHead;

/**
 * The check of a batch of dockets copied from a register's home installation, made in memory
 * before anything is stored: a pure function of what the replica trusts after its latest stored
 * docket, the dockets that follow it, and the genesis docket pinned when the replica was created.
 *
 * <p>Each docket must pass the rules the validator write path applies ({@link DocketWriter}):
 * its own hash, signature and Merkle root; its register, height and link to the docket before
 * it (the stored latest, or the one before it in the batch); its transactions, in the docket's
 * order, each with its id and signature, sealed nowhere else; the genesis rules at height 0,
 * where the docket must also be the pinned one; and a signer among the sealing keys in force at
 * its height, with the key changes it seals applied in order (as {@link DocketTrust} keeps them).
 * The keys and the docket tree are carried forward across the batch, so the answer holds, for
 * each docket, the trust after it, ready to be stored.
 *
 * <p>A signed tree head that comes with the batch is checked when its last docket is one of the
 * batch's new dockets: the root and latest hash recomputed here, and a signer in force for its
 * last docket or the height after (as {@link dev.cairn.ledger.ChainCheck#head} rules). A head
 * ending at a height stored before is for the caller to check against the stored chain; a head
 * beyond the batch is ignored.
 */
final class ReplicaBatch {

    /** The replica's latest stored docket: {@code height} -1, {@code hash} and {@code after} null before genesis. */
    record Latest(long height, String hash, DocketTrust.After after) {

        static final Latest NONE = new Latest(-1, null, null);
    }

    /** One docket of the batch, with its transactions in the docket's order. */
    record Entry(JsonNode docket, JsonNode transactions) {
    }

    /** What to do with the batch's signed head. */
    enum Head {
        /** No head came with the batch. */
        NONE,
        /** The head covers more dockets than the batch reaches: ignored. */
        BEYOND,
        /** The head ends at a height stored before the batch: the caller checks it against the stored chain. */
        STORED,
        /** The head ends at one of the batch's dockets and matches them: keep it once they are stored. */
        CHECKED
    }

    /** The batch's dockets, checked and each with the trust after it; or the height of the first failure and why. */
    record Result(List<DocketWriter.Sealed> dockets, Head head, Long failedHeight, String reason) {

        boolean ok() {
            return failedHeight == null;
        }

        static Result failure(long height, String reason) {
            return new Result(List.of(), Head.NONE, height, reason);
        }
    }

    private ReplicaBatch() {
    }

    /**
     * @param latest          what the replica trusts after its latest stored docket
     * @param entries         the dockets following it, from height {@code latest.height() + 1}
     * @param genesisHash     the hash of the home's genesis docket, pinned when the replica was created
     * @param maxTransactions most transactions one docket may hold
     * @param sealed          the batch's transaction ids that a stored docket already lists, with its height (read
     *                        after {@code latest}, so it may name dockets stored since by a concurrent write)
     * @param head            a signed tree head, or null
     */
    static Result check(String registerId, Latest latest, List<Entry> entries, String genesisHash, int maxTransactions, Map<String, Long> sealed,
            JsonNode head) {
        Map<JsonNode, String> selfProblems = selfProblems(entries);
        List<DocketWriter.Sealed> checked = new ArrayList<>();
        List<SealingKeys> keysAt = new ArrayList<>(); // keysAt.get(i): the keys in force at the height of checked.get(i)
        Set<String> inBatch = new HashSet<>();
        DocketTrust.After before = latest.after();
        String previousHash = latest.height() < 0 ? LedgerHashes.GENESIS_PREVIOUS_HASH : latest.hash();
        for (int i = 0; i < entries.size(); i++) {
            long height = latest.height() + 1 + i;
            Entry entry = entries.get(i);
            Step step;
            try {
                step = docket(registerId, height, previousHash, before, entry, genesisHash, maxTransactions, sealed, inBatch, selfProblems);
            } catch (RuleException e) {
                return Result.failure(height, e.getMessage());
            }
            checked.add(step.sealed());
            keysAt.add(step.keysAt());
            before = step.sealed().after();
            previousHash = entry.docket().path("hash").asString();
        }
        if (head == null || head.isNull() || head.isMissingNode()) {
            return new Result(checked, Head.NONE, null, null);
        }
        long last = latest.height() + entries.size();
        String problem = TreeHead.problem(head, registerId);
        if (problem != null) {
            long at = head.path("treeSize").isIntegralNumber() ? Math.max(0, Math.min(last, head.path("treeSize").asLong() - 1)) : last;
            return Result.failure(at, "the signed tree head: " + problem);
        }
        long end = head.path("treeSize").longValue() - 1;
        if (end > last) {
            return new Result(checked, Head.BEYOND, null, null);
        }
        if (end <= latest.height()) {
            return new Result(checked, Head.STORED, null, null);
        }
        int index = (int) (end - latest.height() - 1);
        DocketWriter.Sealed at = checked.get(index);
        if (!at.after().rootHash().equals(head.path("rootHash").asString()) || !at.docket().path("hash").asString().equals(head.path("latestHash")
                .asString())) {
            return Result.failure(end, "the signed tree head of " + (end + 1) + " dockets does not match the chain (it has another history)");
        }
        if (!keysAt.get(index).signed(head) && !at.after().keys().signed(head)) {
            return Result.failure(end, "the signed tree head is not signed by a sealing key of the register"
                    + SealingKeys.Key.signerOf(head).map(k -> " (signed by key " + k.id() + ")").orElse(""));
        }
        return new Result(checked, Head.CHECKED, null, null);
    }

    /** A docket that passed, and the keys in force at its height. */
    private record Step(DocketWriter.Sealed sealed, SealingKeys keysAt) {
    }

    /**
     * Each transaction's own id and signature, checked on every core before the checks that follow
     * the chain's order: what is wrong with it, by transaction (identity), for those with a problem.
     */
    private static Map<JsonNode, String> selfProblems(List<Entry> entries) {
        List<JsonNode> all = new ArrayList<>();
        for (Entry entry : entries) {
            if (entry.transactions().isArray()) {
                entry.transactions().values().forEach(all::add);
            }
        }
        List<String> found = all.parallelStream().map(ReplicaBatch::selfProblem).toList(); // in order, null for none
        Map<JsonNode, String> problems = new IdentityHashMap<>();
        for (int i = 0; i < all.size(); i++) {
            if (found.get(i) != null) {
                problems.put(all.get(i), found.get(i));
            }
        }
        return problems;
    }

    private static String selfProblem(JsonNode tx) {
        try {
            return ChainRules.transactionSelfProblem(tx);
        } catch (RuntimeException e) {
            return "transaction " + tx.path("txId").asString("?") + " cannot be checked: " + e.getMessage();
        }
    }

    private static Step docket(String registerId, long height, String previousHash, DocketTrust.After before, Entry entry, String genesisHash,
            int maxTransactions, Map<String, Long> sealed, Set<String> inBatch, Map<JsonNode, String> selfProblems) {
        JsonNode docket = entry.docket();
        JsonNode transactions = entry.transactions();
        if (!docket.isObject()) {
            throw new RuleException("docket must be a JSON object");
        }
        if (!transactions.isArray() || transactions.isEmpty()) {
            throw new RuleException("transactions must be a non-empty array");
        }
        if (transactions.size() > maxTransactions) {
            throw new RuleException("a docket holds at most " + maxTransactions + " transactions");
        }
        require(ChainRules.docketPlaceProblem(docket, registerId, height, previousHash));
        require(ChainRules.docketSelfProblem(docket));
        List<String> ids = ChainRules.transactionIds(docket);
        if (ids.size() != transactions.size()) {
            throw new RuleException("the docket lists " + ids.size() + " transactions, the batch holds " + transactions.size() + " for it");
        }
        List<String> keyChanges = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            JsonNode tx = transactions.get(i);
            String txId = ids.get(i);
            require(ChainRules.transactionPlaceProblem(tx, registerId, txId, height));
            // the place check covers the transaction's shape; its id and signature were checked once, up front
            require(selfProblems.get(tx));
            Long sealedAt = sealed.get(txId);
            // sealed at this very height: the same docket, stored meanwhile by a concurrent write, which storing finds
            if (sealedAt != null && sealedAt != height) {
                throw new RuleException("transaction " + txId + " is already sealed at height " + sealedAt);
            }
            if (!inBatch.add(txId)) {
                throw new RuleException("transaction " + txId + " is sealed in an earlier docket of the batch too");
            }
            if (SealingKeys.isKeyChange(tx)) {
                keyChanges.add(txId);
            }
        }
        require(LedgerRecords.docketProblem(docket, registerId, ids));
        if (height == 0) {
            if (transactions.size() != 1) {
                throw new RuleException("the genesis docket holds exactly one transaction, the genesis transaction");
            }
            String hash = docket.path("hash").asString();
            if (!hash.equals(genesisHash)) {
                throw new RuleException("the genesis docket is " + hash + ", not the home's genesis docket " + genesisHash
                        + " pinned when the replica was created");
            }
        }
        SealingKeys keysAt = DocketTrust.keysAt(before, docket, transactions, height);
        DocketTrust.After after = DocketTrust.next(before, docket, transactions, height);
        return new Step(new DocketWriter.Sealed(docket, transactions, ids, keyChanges, after), keysAt);
    }

    private static void require(String problem) {
        if (problem != null) {
            throw new RuleException(problem);
        }
    }
}
