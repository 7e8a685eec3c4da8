package dev.cairn.platform.workflow;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import dev.cairn.ledger.crypto.SignatureVerifier;
import dev.cairn.ledger.CanonicalJson;
import dev.cairn.ledger.LedgerHashes;

/**
 * Where a workflow instance stands after a step: its status, the data accumulated so far, the
 * actions that may be executed next (each an open {@link Token}), branches waiting at a join,
 * the participants' wallets and the actions executed. Every step's transaction commits to the
 * state it leads to ({@link #hash}), and the next step's validator copy reveals it, so the
 * validator can replay each step from the one before.
 *
 * @param status       {@code ACTIVE}, {@code COMPLETED} or {@code REJECTED}
 * @param step         how many steps led here (0 for a new instance)
 * @param participants participant id → wallet address
 * @param executed     ids of the actions executed so far, in order (for {@code requiredPriorActions})
 */
public record InstanceState(String status, long step, Map<String, String> participants, ObjectNode data, List<Token> open,
        List<Token> waiting, List<Integer> executed) {

    public static final String ACTIVE = "ACTIVE";
    public static final String COMPLETED = "COMPLETED";
    public static final String REJECTED = "REJECTED";

    /**
     * An action that may be executed (open) or a branch that arrived at a join (waiting).
     *
     * @param id       unique in the instance: {@code <step that opened it>.<index>}
     * @param branch   the parallel branch it is on, null on the main line
     * @param deadline when its branch times out, null for never
     */
    public record Token(String id, int actionId, String branch, Instant deadline) {
        ObjectNode json() {
            ObjectNode json = JsonNodeFactory.instance.objectNode().put("id", id).put("actionId", actionId);
            if (branch != null) {
                json.put("branch", branch);
            }
            if (deadline != null) {
                json.put("deadline", deadline.toString());
            }
            return json;
        }

        static Token of(JsonNode json) {
            return new Token(json.path("id").asString(), json.path("actionId").asInt(), json.path("branch").asString(null),
                    json.hasNonNull("deadline") ? Instant.parse(json.path("deadline").asString()) : null);
        }
    }

    public InstanceState {
        participants = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(participants));
        open = List.copyOf(open);
        waiting = List.copyOf(waiting);
        executed = List.copyOf(executed);
    }

    public boolean active() {
        return ACTIVE.equals(status);
    }

    public ObjectNode json() {
        ObjectNode json = JsonNodeFactory.instance.objectNode().put("status", status).put("step", step);
        ObjectNode bound = json.putObject("participants");
        participants.forEach(bound::put);
        json.set("data", data.deepCopy());
        ArrayNode openJson = json.putArray("open");
        open.forEach(t -> openJson.add(t.json()));
        ArrayNode waitingJson = json.putArray("waiting");
        waiting.forEach(t -> waitingJson.add(t.json()));
        ArrayNode executedJson = json.putArray("executed");
        executed.forEach(executedJson::add);
        return json;
    }

    /** @throws IllegalArgumentException when the JSON is not an instance state */
    public static InstanceState of(JsonNode json) {
        if (!json.isObject() || !json.path("data").isObject() || !json.path("participants").isObject() || !json.path("open").isArray()
                || !json.path("waiting").isArray() || !json.path("executed").isArray() || !json.path("step").isIntegralNumber()) {
            throw new IllegalArgumentException("not an instance state");
        }
        Map<String, String> participants = new LinkedHashMap<>();
        json.path("participants").properties().forEach(e -> participants.put(e.getKey(), e.getValue().asString()));
        List<Token> open = new ArrayList<>();
        json.path("open").values().forEach(t -> open.add(Token.of(t)));
        List<Token> waiting = new ArrayList<>();
        json.path("waiting").values().forEach(t -> waiting.add(Token.of(t)));
        List<Integer> executed = new ArrayList<>();
        json.path("executed").values().forEach(e -> executed.add(e.asInt()));
        return new InstanceState(json.path("status").asString(), json.path("step").asLong(), participants,
                (ObjectNode) json.path("data").deepCopy(), open, waiting, executed);
    }

    /** The commitment to this state under a salt: hex SHA-256 of the salt and the state's canonical JSON. */
    public String hash(byte[] salt) {
        byte[] state = CanonicalJson.bytes(json());
        byte[] input = new byte[salt.length + state.length];
        System.arraycopy(salt, 0, input, 0, salt.length);
        System.arraycopy(state, 0, input, salt.length, state.length);
        return LedgerHashes.hex(SignatureVerifier.sha256(input));
    }

    /** The earliest deadline of an open token, or null. */
    public Instant nextDeadline() {
        return open.stream().map(Token::deadline).filter(d -> d != null).min(Instant::compareTo).orElse(null);
    }
}
