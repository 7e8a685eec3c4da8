package dev.cairn.ledger;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import dev.cairn.ledger.crypto.SignatureVerifier;

/**
 * The keys trusted to seal a register at some height: a docket, a signed tree head and a key
 * change are valid only when signed by one of them.
 *
 * <p>The genesis transaction pins the first set in its payload, {@code sealingKeys: [{id,
 * algorithm, publicKey}]}, and is signed by one of those keys. A {@code control} transaction
 * whose payload holds {@code sealingKeys: {add: [key...], retire: [id...]}} changes the set. It
 * must be signed by a key of the set in force at the height of the docket that seals it, and
 * the new set is in force from the next height on, so the docket that seals a change is still
 * signed under the old set. A change may not leave the set empty, add a key twice, or retire a
 * key the set does not hold.
 *
 * <p>A key's {@code id} is the first 16 hex digits of the SHA-256 of its public key bytes, so
 * that an id cannot name another key. A genesis transaction without {@code sealingKeys} (made
 * before keys were pinned) pins the one key that signed the genesis docket.
 */
public final class SealingKeys {

    public static final String FIELD = "sealingKeys";
    public static final int MAX_KEYS = 16;

    /** A sealing key: {@code publicKey} is base64, as in a record's {@code signature}. */
    public record Key(String id, String algorithm, String publicKey) {

        public static Key of(String algorithm, String publicKey) {
            return new Key(idOf(Base64.getDecoder().decode(publicKey)), algorithm, publicKey);
        }

        /** The key that made a record's {@code signature}, whether or not it verifies. */
        public static Optional<Key> signerOf(JsonNode record) {
            JsonNode signature = record.path("signature");
            String algorithm = signature.path("algorithm").asString(null);
            String publicKey = signature.path("publicKey").asString(null);
            if (algorithm == null || publicKey == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(of(algorithm, publicKey));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }

        public ObjectNode toJson() {
            ObjectNode key = JsonNodeFactory.instance.objectNode();
            key.put("id", id).put("algorithm", algorithm).put("publicKey", publicKey);
            return key;
        }
    }

    private final Map<String, Key> keys;

    private SealingKeys(Map<String, Key> keys) {
        this.keys = Collections.unmodifiableMap(keys);
    }

    public static String idOf(byte[] publicKey) {
        return LedgerHashes.hex(SignatureVerifier.sha256(publicKey)).substring(0, 16);
    }

    public static SealingKeys of(List<Key> keys) {
        Map<String, Key> map = new LinkedHashMap<>();
        keys.forEach(k -> map.put(k.id(), k));
        return new SealingKeys(map);
    }

    /**
     * The set a genesis transaction pins; {@code genesisDocket} supplies the key of a genesis
     * made before keys were pinned.
     *
     * @throws RuleException when the payload's keys are malformed
     */
    public static SealingKeys fromGenesis(JsonNode genesis, JsonNode genesisDocket) {
        JsonNode pinned = genesis.path("payload").path(FIELD);
        if (pinned.isMissingNode()) {
            return Key.signerOf(genesisDocket).map(k -> of(List.of(k)))
                    .orElseThrow(() -> new RuleException("the genesis docket has no signature"));
        }
        SealingKeys keys = parse(pinned, "the genesis transaction's " + FIELD);
        if (keys.keys.isEmpty()) {
            throw new RuleException("the genesis transaction pins no sealing key");
        }
        return keys;
    }

    /** Reads a list of keys ({@code [{id, algorithm, publicKey}]}), checking every id. */
    public static SealingKeys parse(JsonNode array, String what) {
        if (!array.isArray() || array.size() > MAX_KEYS) {
            throw new RuleException(what + " must be an array of at most " + MAX_KEYS + " keys");
        }
        Map<String, Key> map = new LinkedHashMap<>();
        for (JsonNode node : array.values()) {
            Key key = key(node, what);
            if (map.putIfAbsent(key.id(), key) != null) {
                throw new RuleException(what + " lists key " + key.id() + " twice");
            }
        }
        return new SealingKeys(map);
    }

    private static Key key(JsonNode node, String what) {
        String algorithm = node.path("algorithm").asString("");
        String publicKey = node.path("publicKey").asString("");
        if (!SignatureVerifier.isKnown(algorithm)) {
            throw new RuleException(what + ": a key's algorithm must be ED25519, P256 or RSA4096");
        }
        Key key;
        try {
            key = Key.of(algorithm, publicKey);
        } catch (IllegalArgumentException e) {
            throw new RuleException(what + ": a key's publicKey must be base64");
        }
        if (!key.id().equals(node.path("id").asString(null))) {
            throw new RuleException(what + ": key id " + node.path("id").asString("(none)") + " is not " + key.id()
                    + ", the first 16 hex digits of the SHA-256 of its public key");
        }
        return key;
    }

    /** Whether the transaction asks to change the sealing keys (a {@code control} transaction with {@code payload.sealingKeys}). */
    public static boolean isKeyChange(JsonNode tx) {
        return "control".equals(tx.path("type").asString(null)) && tx.path("payload").has(FIELD);
    }

    /**
     * The set after a key change, which must be signed by a key of this set.
     *
     * @throws RuleException when the change is malformed, not signed by a key of this set, or would empty the set
     */
    public SealingKeys apply(JsonNode change) {
        String txId = change.path("txId").asString("");
        Key.signerOf(change).filter(this::contains)
                .orElseThrow(() -> new RuleException("key change " + txId + " is not signed by a sealing key of the register"));
        JsonNode body = change.path("payload").path(FIELD);
        if (!body.isObject()) {
            throw new RuleException("key change " + txId + ": " + FIELD + " must be {add: [keys], retire: [ids]}");
        }
        Map<String, Key> next = new LinkedHashMap<>(keys);
        JsonNode retire = body.path("retire");
        if (!retire.isMissingNode()) {
            if (!retire.isArray()) {
                throw new RuleException("key change " + txId + ": retire must be an array of key ids");
            }
            for (JsonNode id : retire.values()) {
                if (next.remove(id.asString("")) == null) {
                    throw new RuleException("key change " + txId + " retires " + id + ", which is not a sealing key of the register");
                }
            }
        }
        JsonNode add = body.path("add");
        if (!add.isMissingNode()) {
            for (Key key : parse(add, "key change " + txId + ": add").keys.values()) {
                if (keys.containsKey(key.id())) {
                    throw new RuleException("key change " + txId + " adds key " + key.id() + ", which the register holds already");
                }
                next.put(key.id(), key);
            }
        }
        if (next.isEmpty()) {
            throw new RuleException("key change " + txId + " would leave the register without a sealing key");
        }
        if (next.size() > MAX_KEYS) {
            throw new RuleException("key change " + txId + ": a register has at most " + MAX_KEYS + " sealing keys");
        }
        if (next.equals(keys)) {
            throw new RuleException("key change " + txId + " changes nothing");
        }
        return new SealingKeys(next);
    }

    public boolean contains(Key key) {
        return key.equals(keys.get(key.id()));
    }

    /** Whether the record's signature was made by one of these keys (not whether it verifies). */
    public boolean signed(JsonNode record) {
        return Key.signerOf(record).filter(this::contains).isPresent();
    }

    public Optional<Key> get(String id) {
        return Optional.ofNullable(keys.get(id));
    }

    public List<Key> keys() {
        return List.copyOf(keys.values());
    }

    public List<String> ids() {
        return new ArrayList<>(keys.keySet());
    }

    public ArrayNode toJson() {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        keys.values().forEach(k -> array.add(k.toJson()));
        return array;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SealingKeys that && keys.equals(that.keys);
    }

    @Override
    public int hashCode() {
        return keys.hashCode();
    }

    @Override
    public String toString() {
        return ids().toString();
    }
}
