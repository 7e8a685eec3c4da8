package dev.cairn.ledger.verify;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import dev.cairn.ledger.ChainCheck;
import dev.cairn.ledger.ChainRules;
import dev.cairn.ledger.LedgerHashes;
import dev.cairn.ledger.MerkleTree;
import dev.cairn.ledger.ObjectIds;
import dev.cairn.ledger.RuleException;
import dev.cairn.ledger.SealingKeys;
import dev.cairn.ledger.TreeHead;

/**
 * Watches a register from outside, as a certificate-transparency monitor watches a log. The
 * state file holds what was accepted last time: the register's genesis docket, the sealing keys
 * it pins, and the last signed tree head. Each run:
 * <ol>
 *   <li>the first time, reads the genesis docket and transaction, checks them (and against
 *       {@code --genesis} or {@code --keys} when given) and pins their keys;</li>
 *   <li>fetches the current signed tree head and checks its signature by a sealing key, following
 *       the register's key changes from the pinned keys when it is signed by a newer one (every
 *       change must be signed by a key already trusted);</li>
 *   <li>with a saved head: the same size must have the same root (two roots for one size prove
 *       that the register showed two histories); a larger size needs a consistency proof from the
 *       saved head, verified here; a smaller size means the register went back. The roots the
 *       register computes from the dockets it stores must be the signed ones, so a history
 *       rewritten in its database is reported even before the next head;</li>
 *   <li>saves the new head.</li>
 * </ol>
 */
final class HeadMonitor {

    /** The register could not be asked. */
    static final class Unreachable extends RuntimeException {
        Unreachable(String message) {
            super(message);
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final CairnVerify.Options options;
    private final String token;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private String base;
    private String registerId;

    HeadMonitor(CairnVerify.Options options, String token, PrintStream out) {
        this.options = options;
        this.token = token;
        this.out = out;
    }

    int run() throws IOException {
        if (options.positional().size() != 2 || options.state() == null) {
            throw new CairnVerify.UsageException("usage: monitor URL REGISTER_ID --state FILE [--genesis HASH] [--keys FILE]"
                    + "   (the access token in CAIRN_TOKEN)");
        }
        base = options.positional().get(0).replaceAll("/+$", "");
        registerId = options.positional().get(1);
        if (!ObjectIds.isValid(registerId)) {
            throw new CairnVerify.UsageException("a register id is 32 lower-case hex digits");
        }
        if (!base.matches("https?://.+")) {
            throw new CairnVerify.UsageException("the URL must start with http:// or https://");
        }
        Path statePath = Path.of(options.state());
        ObjectNode state = readState(statePath);
        if (state == null) {
            state = pin();
        } else if (!registerId.equals(state.path("registerId").asString(""))) {
            throw new CairnVerify.UsageException("the state file " + statePath + " is about register " + state.path("registerId").asString("?")
                    + ", not " + registerId);
        }
        JsonNode head = get("/api/registers/" + registerId + "/head");
        String problem = TreeHead.problem(head, registerId);
        if (problem != null) {
            return mismatch("the register's signed tree head is not valid: " + problem);
        }
        long size = head.path("treeSize").asLong();
        String root = head.path("rootHash").asString();
        KeyHistory keys = keyHistory(state, head);
        if (!keys.at(size - 1).signed(head) && !keys.at(size).signed(head)) {
            return mismatch("the signed tree head of " + size + " dockets is signed by key "
                    + SealingKeys.Key.signerOf(head).map(SealingKeys.Key::id).orElse("?") + ", which is not a sealing key of the register at "
                    + "that size (keys in force: " + keys.at(size - 1).ids() + ")");
        }
        JsonNode saved = state.path("head");
        if (saved.isObject()) {
            long savedSize = saved.path("treeSize").asLong();
            String savedRoot = saved.path("rootHash").asString();
            if (size < savedSize) {
                return mismatch("the register's signed tree head went back from " + savedSize + " to " + size + " dockets");
            }
            if (size == savedSize && !root.equals(savedRoot)) {
                return mismatch("MISBEHAVIOUR: two validly signed tree heads of " + size + " dockets with different roots, " + savedRoot
                        + " (saved) and " + root + " (now). Keep both heads: together they prove the register showed two histories."
                        + "\n  saved: " + saved + "\n  now:   " + head);
            }
            // the proof comes with the roots the register computes from the dockets it stores now: they must be the signed ones
            JsonNode proof = get("/api/registers/" + registerId + "/consistency?first=" + savedSize + "&second=" + size);
            if (!savedRoot.equals(proof.path("firstRoot").asString("")) || !root.equals(proof.path("secondRoot").asString(""))) {
                return mismatch("the register's stored dockets no longer match its signed tree heads: the first " + savedSize
                        + " dockets have the root " + proof.path("firstRoot").asString("?") + " (signed: " + savedRoot + "), the first " + size
                        + " the root " + proof.path("secondRoot").asString("?") + " (signed: " + root + "). Its history was changed");
            }
            if (size > savedSize) {
                List<byte[]> path = new ArrayList<>();
                for (JsonNode hash : proof.path("proof").values()) {
                    if (!LedgerHashes.isHash(hash.asString(null))) {
                        return mismatch("the consistency proof holds a value that is not a hash");
                    }
                    path.add(LedgerHashes.bytes(hash.asString()));
                }
                if (!MerkleTree.verifyConsistency(savedSize, size, LedgerHashes.bytes(savedRoot), LedgerHashes.bytes(root), path)) {
                    return mismatch("the register's history changed: no valid consistency proof from the saved head (" + savedSize
                            + " dockets, root " + savedRoot + ") to the current one (" + size + " dockets, root " + root + ")");
                }
            }
            out.printf("OK: register %s grew from %d to %d dockets consistently; head %s%n", registerId, savedSize, size, root);
        } else {
            out.printf("OK: register %s, first head accepted: %d dockets, root %s%n", registerId, size, root);
        }
        state.set("changes", keys.changes());
        state.set("head", head);
        writeState(statePath, state);
        return CairnVerify.OK;
    }

    /** Reads and checks the genesis docket and transaction, with the chain rules; the first state. */
    private ObjectNode pin() {
        JsonNode docket = get("/api/registers/" + registerId + "/dockets/0").path("docket");
        List<String> ids = ChainRules.transactionIds(docket);
        JsonNode genesis = ids.isEmpty() ? JSON.createObjectNode()
                : get("/api/registers/" + registerId + "/transactions/" + ids.get(0)).path("transaction");
        ChainCheck check = new ChainCheck(registerId);
        if (options.genesis() != null) {
            check.trustGenesis(options.genesis());
        }
        if (options.keys() != null) {
            check.trustKeys(options.keys());
        }
        check.docket(docket);
        check.transaction(genesis);
        ChainCheck.Result result = check.finish();
        if (!result.ok()) {
            throw new Mismatch("the register's genesis: " + result.reason());
        }
        out.printf("Pinned register %s: genesis docket %s, sealing keys %s%n", registerId, result.genesisHash(),
                CairnVerify.describe(result.genesisKeys()));
        ObjectNode state = JSON.createObjectNode();
        state.put("registerId", registerId).put("genesisHash", result.genesisHash());
        state.set("sealingKeys", result.genesisKeys().toJson());
        state.putArray("changes");
        return state;
    }

    /** The register's sealing keys over its heights: the pinned ones, then each key change checked. */
    private record KeyHistory(SealingKeys genesis, List<Long> heights, List<SealingKeys> after, ArrayNode changes) {

        /** The keys in force at {@code height}. */
        SealingKeys at(long height) {
            SealingKeys keys = genesis;
            for (int i = 0; i < heights.size() && heights.get(i) < height; i++) {
                keys = after.get(i);
            }
            return keys;
        }
    }

    /**
     * The key history up to the head, from the state's pinned keys and checked changes, with the
     * register's newer key changes added once checked: each must be signed by a key in force, be
     * listed in the docket at its height, and that docket must be the one the signed head covers
     * (the monitor reads every docket hash and recomputes the head's root, once per new change).
     */
    private KeyHistory keyHistory(ObjectNode state, JsonNode head) {
        SealingKeys genesis = SealingKeys.parse(state.path("sealingKeys"), "the state file's sealing keys");
        ArrayNode known = state.path("changes").isArray() ? (ArrayNode) state.path("changes") : JSON.createArrayNode();
        long size = head.path("treeSize").asLong();
        List<JsonNode> served = new ArrayList<>();
        for (JsonNode change : get("/api/registers/" + registerId + "/sealing-keys").path("changes").values()) {
            if (change.path("height").asLong(-1) + 1 <= size) {
                served.add(change);
            }
        }
        for (int i = 0; i < known.size(); i++) {
            if (i >= served.size() || !known.get(i).path("txId").asString("").equals(served.get(i).path("transaction").path("txId").asString())) {
                throw new Mismatch("the register's key history differs from the one checked before (change " + known.get(i).path("txId").asString()
                        + " at height " + known.get(i).path("height").asLong() + ")");
            }
        }
        List<byte[]> leaves = served.size() > known.size() ? docketHashes(size, head.path("rootHash").asString()) : null;
        List<Long> heights = new ArrayList<>();
        List<SealingKeys> after = new ArrayList<>();
        ArrayNode checked = JSON.createArrayNode();
        SealingKeys keys = genesis;
        for (int i = 0; i < served.size(); i++) {
            JsonNode tx = served.get(i).path("transaction");
            long height = served.get(i).path("height").asLong();
            if (i >= known.size()) {
                checkSealed(tx, height, leaves, keys);
            }
            try {
                keys = keys.apply(tx);
            } catch (RuleException e) {
                throw new Mismatch("the register's key history: " + e.getMessage());
            }
            if (options.keys() != null && !keys.keys().stream().allMatch(options.keys()::contains)) {
                throw new Mismatch("the register added a sealing key outside the trusted keys " + options.keys().ids() + " at height " + height);
            }
            if (i >= known.size()) {
                out.printf("Followed the key change sealed at height %d: sealing keys from height %d on: %s%n", height, height + 1,
                        CairnVerify.describe(keys));
            }
            heights.add(height);
            after.add(keys);
            checked.addObject().put("height", height).put("txId", tx.path("txId").asString());
        }
        return new KeyHistory(genesis, heights, after, checked);
    }

    /** A key change is a valid transaction, listed in a valid docket at its height, which is the leaf the signed head has there. */
    private void checkSealed(JsonNode tx, long height, List<byte[]> leaves, SealingKeys keys) {
        String txId = tx.path("txId").asString("");
        if (ChainRules.transactionProblem(tx, registerId, txId) != null || !SealingKeys.isKeyChange(tx)) {
            throw new Mismatch("the register's key change at height " + height + " is not a valid transaction");
        }
        JsonNode docket = get("/api/registers/" + registerId + "/dockets/" + height).path("docket");
        if (ChainRules.docketSelfProblem(docket) != null || !ChainRules.transactionIds(docket).contains(txId) || !keys.signed(docket)
                || height >= leaves.size() || !LedgerHashes.hex(leaves.get((int) height)).equals(docket.path("hash").asString())) {
            throw new Mismatch("the key change " + txId + " is not sealed at height " + height + " under the signed tree head");
        }
    }

    /** Every docket hash up to {@code size}, read page by page and checked against the signed root. */
    private List<byte[]> docketHashes(long size, String rootHash) {
        List<byte[]> hashes = new ArrayList<>();
        while (hashes.size() < size) {
            JsonNode page = get("/api/registers/" + registerId + "/dockets?from=" + hashes.size() + "&limit=100").path("items");
            if (page.isEmpty()) {
                break;
            }
            for (JsonNode item : page.values()) {
                if (hashes.size() < size && LedgerHashes.isHash(item.path("hash").asString(null))) {
                    hashes.add(LedgerHashes.bytes(item.path("hash").asString()));
                }
            }
        }
        if (hashes.size() != size || !LedgerHashes.hex(MerkleTree.root(hashes)).equals(rootHash)) {
            throw new Mismatch("the register's dockets do not make up its signed tree head of " + size + " dockets");
        }
        return hashes;
    }

    private int mismatch(String message) {
        out.println("MISMATCH: " + message);
        return CairnVerify.FAILED;
    }

    /** A check failed before the head was read. */
    static final class Mismatch extends RuntimeException {
        Mismatch(String message) {
            super(message);
        }
    }

    private JsonNode get(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET();
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Unreachable("cannot reach " + base + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted");
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (JacksonException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            throw new Unreachable("GET " + path + " answered " + response.statusCode() + " without a JSON object: is " + base
                    + " a Cairn installation?");
        }
        if (response.statusCode() != 200) {
            throw new Unreachable("GET " + path + " answered " + response.statusCode() + ": " + body.path("detail").asString(body.path("title").asString("")));
        }
        return body;
    }

    private static ObjectNode readState(Path path) throws IOException {
        if (!Files.exists(path)) {
            return null;
        }
        try {
            JsonNode state = JSON.readTree(Files.readString(path));
            if (!state.isObject() || !state.path("sealingKeys").isArray()) {
                throw new CairnVerify.UsageException("the state file " + path + " is not one this monitor wrote");
            }
            return (ObjectNode) state;
        } catch (JacksonException e) {
            throw new CairnVerify.UsageException("the state file " + path + " is not JSON");
        }
    }

    private static void writeState(Path path, ObjectNode state) throws IOException {
        Path absolute = path.toAbsolutePath();
        Path temporary = absolute.resolveSibling(absolute.getFileName() + ".tmp");
        Files.writeString(temporary, state.toPrettyString());
        Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
