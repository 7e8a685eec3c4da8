package dev.cairn.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import tools.jackson.databind.JsonNode;

/**
 * Checks a register's chain as it is read, record by record: dockets from height 0, each
 * followed by its transactions in the docket's order. Every rule of docs/registers.md is
 * applied: each record's own hash and signature, contiguous heights and links, Merkle roots,
 * the genesis docket holding the genesis transaction, and every docket and key change signed
 * by a sealing key in force at its height ({@link SealingKeys}). The first failure is kept
 * with its height; later records are ignored.
 *
 * <p>Each record's own checks ({@link ChainRules#docketSelfProblem},
 * {@link ChainRules#transactionSelfProblem}) may be made beforehand, side by side, and passed
 * in; the checks here depend on order and are cheap.
 *
 * <p>A verifier may be told what to trust: the genesis docket's hash, or a set of keys outside
 * which no sealing key (pinned by the genesis or added later) is accepted.
 */
public final class ChainCheck {

    public record Result(String registerId, boolean ok, long height, String reason, long dockets, long transactions, String treeHead,
            String genesisHash, SealingKeys genesisKeys, SealingKeys sealingKeys) {
    }

    /** Marks a record whose own checks the caller has not made: {@link ChainCheck} makes them. */
    public static final String UNCHECKED = "\u0000unchecked";

    private final String registerId;
    private String trustedGenesis;
    private SealingKeys trustedKeys;

    private final List<byte[]> docketHashes = new ArrayList<>();
    /** The first 64 bits of every txId sealed so far: a transaction may be sealed once only. */
    private final LongSet sealedIds = new LongSet();
    /** The sealing keys in force from each height at which they changed. */
    private final TreeMap<Long, SealingKeys> keysFrom = new TreeMap<>();
    private String previousHash = LedgerHashes.GENESIS_PREVIOUS_HASH;
    private JsonNode docket;
    private List<String> expected = List.of();
    private int next;
    private final List<JsonNode> keyChanges = new ArrayList<>();
    private JsonNode genesis;
    private String genesisHash;
    private long transactions;
    private Long failedAt;
    private String reason;

    public ChainCheck(String registerId) {
        this.registerId = registerId;
    }

    /** Refuse a chain whose genesis docket has another hash. */
    public ChainCheck trustGenesis(String hash) {
        this.trustedGenesis = hash;
        return this;
    }

    /** Refuse a chain that pins or adds a sealing key outside these. */
    public ChainCheck trustKeys(SealingKeys keys) {
        this.trustedKeys = keys;
        return this;
    }

    public boolean failed() {
        return failedAt != null;
    }

    /** The number of dockets accepted so far, plus the one whose transactions are being read. */
    public long height() {
        return docketHashes.size() - 1L;
    }

    public boolean docket(JsonNode docket) {
        return docket(docket, UNCHECKED);
    }

    /** The next docket; {@code ownProblem} is {@link ChainRules#docketSelfProblem} of it, or {@link #UNCHECKED}. */
    public boolean docket(JsonNode docket, String ownProblem) {
        if (failed() || !complete()) {
            return false;
        }
        long height = docketHashes.size();
        String problem = ChainRules.docketPlaceProblem(docket, registerId, height, previousHash);
        if (problem == null) {
            problem = UNCHECKED.equals(ownProblem) ? ChainRules.docketSelfProblem(docket) : ownProblem;
        }
        if (problem == null && height == 0) {
            genesisHash = docket.path("hash").asString();
            if (ChainRules.transactionIds(docket).size() != 1) {
                problem = "the genesis docket holds exactly one transaction, the genesis transaction";
            } else if (trustedGenesis != null && !trustedGenesis.equals(genesisHash)) {
                problem = "the genesis docket is " + genesisHash + ", not the trusted " + trustedGenesis;
            }
        }
        if (problem == null && height > 0 && !keysAt(height).signed(docket)) {
            problem = "the docket is not signed by a sealing key of the register" + signerText(docket);
        }
        if (problem != null) {
            return fail(height, problem);
        }
        this.docket = docket;
        previousHash = docket.path("hash").asString();
        docketHashes.add(LedgerHashes.bytes(previousHash));
        expected = ChainRules.transactionIds(docket);
        next = 0;
        keyChanges.clear();
        return true;
    }

    public boolean transaction(JsonNode tx) {
        return transaction(tx, UNCHECKED);
    }

    /**
     * Ends the docket being read once all its transactions are in, rather than at the next docket:
     * afterwards {@link #keysAt keysAt(height + 1)} holds the keys after it.
     */
    public boolean endDocket() {
        return !failed() && complete();
    }

    /** The docket's next transaction; {@code ownProblem} is {@link ChainRules#transactionSelfProblem} of it, or {@link #UNCHECKED}. */
    public boolean transaction(JsonNode tx, String ownProblem) {
        if (failed()) {
            return false;
        }
        long height = height();
        if (docket == null || next >= expected.size()) {
            if (expected.contains(tx.path("txId").asString(""))) {
                return fail(height, "transaction " + tx.path("txId").asString() + " appears twice");
            }
            return fail(height + 1, "a transaction that no docket lists (the docket at height " + (height + 1) + " is missing)");
        }
        String txId = expected.get(next++);
        String problem = ChainRules.transactionPlaceProblem(tx, registerId, txId, height);
        if (problem == null) {
            problem = UNCHECKED.equals(ownProblem) ? ChainRules.transactionSelfProblem(tx) : ownProblem;
        }
        if (problem != null) {
            return fail(height, problem);
        }
        if (!sealedIds.add(Long.parseUnsignedLong(txId.substring(0, 16), 16))) {
            return fail(height, "transaction " + txId + " is sealed in an earlier docket too");
        }
        if (height == 0) {
            genesis = tx;
        } else if (SealingKeys.isKeyChange(tx)) {
            keyChanges.add(tx);
        }
        transactions++;
        return true;
    }

    /**
     * A signed tree head, checked against the dockets read so far: its signature by a key in
     * force for its last docket or the height after, its root and latest docket. A head that
     * covers more dockets than were read means dockets are missing.
     */
    public boolean head(JsonNode head) {
        if (failed() || !complete()) {
            return false;
        }
        String problem = TreeHead.problem(head, registerId);
        if (problem != null) {
            return fail(height(), "the signed tree head: " + problem);
        }
        long size = head.path("treeSize").asLong();
        if (size > docketHashes.size()) {
            return fail(docketHashes.size(), "docket " + docketHashes.size() + " is missing: the signed tree head covers " + size + " dockets");
        }
        if (!keysAt(size - 1).signed(head) && !keysAt(size).signed(head)) {
            return fail(size - 1, "the tree head is not signed by a sealing key of the register" + signerText(head));
        }
        String root = LedgerHashes.hex(MerkleTree.root(docketHashes.subList(0, (int) size)));
        if (!root.equals(head.path("rootHash").asString()) || !LedgerHashes.hex(docketHashes.get((int) size - 1))
                .equals(head.path("latestHash").asString())) {
            return fail(size - 1, "the signed tree head of " + size + " dockets does not match the chain (it has another history)");
        }
        return true;
    }

    public Result finish() {
        if (!failed()) {
            complete();
        }
        if (failed()) {
            return new Result(registerId, false, failedAt, reason, docketHashes.size(), transactions, null, genesisHash, genesisKeys(), null);
        }
        if (docketHashes.isEmpty()) {
            return new Result(registerId, false, 0, "the chain has no genesis docket", 0, 0, null, null, null, null);
        }
        return new Result(registerId, true, docketHashes.size() - 1L, null, docketHashes.size(), transactions,
                LedgerHashes.hex(MerkleTree.root(docketHashes)), genesisHash, genesisKeys(), keysAt(docketHashes.size()));
    }

    /** The sealing keys in force at a height already read (or the next one). */
    public SealingKeys keysAt(long height) {
        Map.Entry<Long, SealingKeys> entry = keysFrom.floorEntry(height);
        return entry == null ? SealingKeys.of(List.of()) : entry.getValue();
    }

    private SealingKeys genesisKeys() {
        return keysFrom.isEmpty() ? null : keysFrom.firstEntry().getValue();
    }

    /** Ends the current docket: all its transactions read, then its sealing keys and key changes applied. */
    private boolean complete() {
        if (docket == null) {
            return true;
        }
        long height = height();
        if (next < expected.size()) {
            return fail(height, "transaction " + expected.get(next) + " is missing");
        }
        try {
            if (height == 0) {
                SealingKeys pinned = SealingKeys.fromGenesis(genesis, docket);
                if (genesis.path("payload").has(SealingKeys.FIELD) && !pinned.signed(genesis)) {
                    return fail(0, "the genesis transaction is not signed by a key it pins");
                }
                if (!pinned.signed(docket)) {
                    return fail(0, "the genesis docket is not signed by a key its genesis transaction pins" + signerText(docket));
                }
                keysFrom.put(0L, trusted(pinned, 0));
            }
            SealingKeys keys = keysAt(height);
            for (JsonNode change : keyChanges) {
                keys = trusted(keys.apply(change), height);
            }
            if (!keyChanges.isEmpty()) {
                keysFrom.put(height + 1, keys);
            }
        } catch (RuleException e) {
            return fail(height, e.getMessage());
        }
        docket = null;
        return true;
    }

    private SealingKeys trusted(SealingKeys keys, long height) {
        if (trustedKeys != null) {
            for (SealingKeys.Key key : keys.keys()) {
                if (!trustedKeys.contains(key)) {
                    throw new RuleException((height == 0 ? "the genesis pins" : "a key change adds") + " sealing key " + key.id()
                            + ", which is not among the trusted keys");
                }
            }
        }
        return keys;
    }

    private static String signerText(JsonNode record) {
        return SealingKeys.Key.signerOf(record).map(k -> " (signed by key " + k.id() + ")").orElse("");
    }

    /**
     * A record that is not where a chain has one (a line of an export that cannot be read, say):
     * located in the docket being read while it still lacks transactions, otherwise at the next
     * height, where a docket was due.
     */
    public void structure(String reason) {
        fail(docket != null && next < expected.size() ? height() : height() + 1, reason);
    }

    /** A failure the caller found itself (a stored copy that differs from the signed record, say). */
    public void failAt(long height, String reason) {
        fail(height, reason);
    }

    /**
     * A set of longs in one open-addressed array: a register of a million transactions costs 16 MB,
     * not the 150 MB of a set of strings. Two different txIds sharing their first 64 bits, about
     * one chance in 10^7 for a register of a billion transactions, would be reported as one
     * sealed twice.
     */
    private static final class LongSet {
        private long[] slots = new long[1 << 12];
        private boolean zero;
        private int size;

        boolean add(long value) {
            if (value == 0) {
                boolean added = !zero;
                zero = true;
                return added;
            }
            if (size * 2 >= slots.length) {
                grow();
            }
            int mask = slots.length - 1;
            int i = (int) (mix(value) & mask);
            while (slots[i] != 0) {
                if (slots[i] == value) {
                    return false;
                }
                i = (i + 1) & mask;
            }
            slots[i] = value;
            size++;
            return true;
        }

        private void grow() {
            long[] old = slots;
            slots = new long[old.length * 2];
            size = 0;
            for (long value : old) {
                if (value != 0) {
                    add(value);
                }
            }
        }

        private static long mix(long value) {
            long h = value * 0x9E3779B97F4A7C15L;
            return h ^ (h >>> 32);
        }
    }

    private boolean fail(long height, String reason) {
        if (failedAt == null) {
            failedAt = Math.max(0, height);
            this.reason = reason;
        }
        return false;
    }
}
