package dev.cairn.platform.workflow;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpStatus;

import dev.cairn.ledger.crypto.SignatureVerifier;
import dev.cairn.ledger.CanonicalJson;
import dev.cairn.ledger.LedgerHashes;
import dev.cairn.platform.problem.ApiException;

/**
 * The ledger transaction of a workflow step, and the check a validator makes of it.
 *
 * <p>A step's transaction is an {@code action} transaction with {@code blueprintId},
 * {@code blueprintVersion}, {@code instanceId}, {@code actionId} and {@code previousTxId} (the
 * instance's previous step; none for its first), signed by the wallet bound to the acting
 * participant. Its {@code payload} holds no data in the clear:
 * <ul>
 *   <li>{@code commitments}: for each disclosed JSON Pointer, hex SHA-256 of a random 32-byte salt,
 *       the pointer, a zero byte and the value's canonical JSON;</li>
 *   <li>{@code disclosures}: per recipient wallet, the pointers it receives and a ciphertext (to
 *       that wallet's key) of {@code {values, salts}}, so that it can check each value against its
 *       commitment;</li>
 *   <li>{@code validatorCopy}: a ciphertext to the validators' system wallet of the state before
 *       the step (with its salt), the data submitted, every salt, and the salt of the new state;</li>
 *   <li>{@code stateHash}: the commitment to the state after the step ({@link InstanceState#hash}).</li>
 * </ul>
 * A validator that opens its copy checks that the state before matches the previous step's
 * {@code stateHash} (or is the instance's start), replays the step with {@link Engine}, and
 * requires the step's transaction to be exactly what the replay gives, ciphertexts aside.
 */
public final class StepTransaction {

    public static final String FORMAT = "cairn.workflow/1";
    public static final String EXECUTE = "execute";
    public static final String REJECT = "reject";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Base64.Encoder B64 = Base64.getEncoder();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private StepTransaction() {
    }

    /** Encrypts to a wallet's key; answers base64. */
    public interface Encryptor {
        String encrypt(String walletAddress, byte[] plaintext);
    }

    /** Where a step belongs: register, blueprint version, instance, and the step before it. */
    public record Context(String registerId, String blueprintId, int blueprintVersion, String instanceId, String previousTxId,
            InstanceState prior, byte[] priorSalt, String validatorWallet) {
    }

    /** A step's transaction, unsigned, with the salt of the state it commits to. */
    public record Built(ObjectNode transaction, byte[] stateSalt, List<Engine.Recipient> recipients) {
    }

    /** Whether the transaction belongs to a workflow (names a blueprint). */
    public static boolean isWorkflowStep(JsonNode tx) {
        return tx.hasNonNull("blueprintId");
    }

    public static Built execution(Context context, Engine.Executed executed, JsonNode submitted, Instant at, Encryptor encryptor) {
        List<Engine.Recipient> recipients = Engine.recipients(executed.action(), executed.stepData(), executed.next().participants());
        ObjectNode copy = JsonNodeFactory.instance.objectNode().set("data", submitted.deepCopy());
        return build(context, EXECUTE, executed.token(), executed.action(), executed.next(), recipients, copy, null, at, encryptor);
    }

    public static Built rejection(Context context, Workflow workflow, Engine.Rejected rejected, Instant at, Encryptor encryptor) {
        List<Engine.Recipient> recipients = Engine.recipients(workflow, rejected);
        ObjectNode copy = JsonNodeFactory.instance.objectNode().set("data", rejected.rejectionData().deepCopy());
        return build(context, REJECT, rejected.token(), rejected.action(), rejected.next(), recipients, copy, rejected.config(), at, encryptor);
    }

    private static Built build(Context context, String kind, InstanceState.Token token, Blueprint.Action action, InstanceState next,
            List<Engine.Recipient> recipients, ObjectNode copy, Blueprint.Rejection rejection, Instant at, Encryptor encryptor) {
        Map<String, byte[]> salts = new LinkedHashMap<>();
        Engine.disclosedPointers(recipients).forEach(pointer -> salts.put(pointer, salt()));
        byte[] stateSalt = salt();
        ObjectNode payload = skeleton(kind, token, action, next.hash(stateSalt), recipients, salts, context.validatorWallet(), rejection);
        ArrayNode disclosures = (ArrayNode) payload.path("disclosures");
        for (int i = 0; i < recipients.size(); i++) {
            Engine.Recipient recipient = recipients.get(i);
            ObjectNode view = JsonNodeFactory.instance.objectNode().put("format", FORMAT).put("instanceId", context.instanceId())
                    .put("actionId", action.id()).put("kind", kind);
            ObjectNode values = view.putObject("values");
            ObjectNode viewSalts = view.putObject("salts");
            recipient.values().forEach((pointer, value) -> {
                values.set(pointer, value);
                viewSalts.put(pointer, B64.encodeToString(salts.get(pointer)));
            });
            ((ObjectNode) disclosures.get(i)).put("ciphertext", encryptor.encrypt(recipient.walletAddress(), bytes(view)));
        }
        copy.put("format", FORMAT).set("prior", context.prior().json());
        if (context.priorSalt() != null) {
            copy.put("priorSalt", B64.encodeToString(context.priorSalt()));
        }
        ObjectNode copySalts = copy.putObject("salts");
        salts.forEach((pointer, salt) -> copySalts.put(pointer, B64.encodeToString(salt)));
        copy.put("stateSalt", B64.encodeToString(stateSalt));
        ((ObjectNode) payload.path("validatorCopy")).put("ciphertext", encryptor.encrypt(context.validatorWallet(), bytes(copy)));

        ObjectNode tx = JsonNodeFactory.instance.objectNode();
        tx.put("registerId", context.registerId()).put("type", "action").put("sender", context.prior().participants().get(action.sender()));
        ArrayNode to = tx.putArray("recipients");
        recipients.forEach(r -> to.add(r.walletAddress()));
        tx.put("blueprintId", context.blueprintId()).put("blueprintVersion", context.blueprintVersion()).put("instanceId", context.instanceId())
                .put("actionId", action.id());
        if (context.previousTxId() != null) {
            tx.put("previousTxId", context.previousTxId());
        }
        tx.set("payload", payload);
        tx.put("timestamp", at.toString());
        return new Built(tx, stateSalt, recipients);
    }

    /** The payload as the rules give it, ciphertexts aside: what builder and checker agree on. */
    private static ObjectNode skeleton(String kind, InstanceState.Token token, Blueprint.Action action, String stateHash,
            List<Engine.Recipient> recipients, Map<String, byte[]> salts, String validatorWallet, Blueprint.Rejection rejection) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode().put("format", FORMAT).put("kind", kind).put("token", token.id())
                .put("participantId", action.sender());
        if (token.branch() != null) {
            payload.put("branch", token.branch());
        }
        if (rejection != null) {
            payload.put("targetActionId", rejection.targetActionId()).put("terminal", rejection.terminal());
        }
        payload.put("stateHash", stateHash);
        ObjectNode commitments = payload.putObject("commitments");
        Map<String, JsonNode> all = new LinkedHashMap<>();
        recipients.forEach(r -> r.values().forEach(all::putIfAbsent));
        all.forEach((pointer, value) -> commitments.put(pointer, commitment(salts.get(pointer), pointer, value)));
        ArrayNode disclosures = payload.putArray("disclosures");
        for (Engine.Recipient recipient : recipients) {
            ObjectNode d = disclosures.addObject();
            if (recipient.participantId() != null) {
                d.put("participantId", recipient.participantId());
            }
            d.put("walletAddress", recipient.walletAddress());
            ArrayNode pointers = d.putArray("pointers");
            recipient.values().keySet().forEach(pointers::add);
        }
        payload.putObject("validatorCopy").put("walletAddress", validatorWallet);
        return payload;
    }

    /** hex SHA-256(salt ‖ pointer ‖ 0x00 ‖ canonical JSON of the value): what a recipient checks a disclosed value against. */
    public static String commitment(byte[] salt, String pointer, JsonNode value) {
        byte[] p = pointer.getBytes(StandardCharsets.UTF_8);
        byte[] v = CanonicalJson.bytes(value);
        byte[] input = new byte[salt.length + p.length + 1 + v.length];
        System.arraycopy(salt, 0, input, 0, salt.length);
        System.arraycopy(p, 0, input, salt.length, p.length);
        System.arraycopy(v, 0, input, salt.length + p.length + 1, v.length);
        return LedgerHashes.hex(SignatureVerifier.sha256(input));
    }

    // ---- what a recipient does with its disclosure ----

    /** A recipient's view of a step: the values it was given, each checked against the step's commitment. */
    public static Map<String, JsonNode> openDisclosure(JsonNode tx, byte[] plaintext) {
        JsonNode view = JSON.readTree(plaintext);
        JsonNode commitments = tx.path("payload").path("commitments");
        Map<String, JsonNode> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : view.path("values").properties()) {
            byte[] salt = B64D.decode(view.path("salts").path(entry.getKey()).asString(""));
            if (!commitment(salt, entry.getKey(), entry.getValue()).equals(commitments.path(entry.getKey()).asString(""))) {
                throw new IllegalArgumentException("the value disclosed at " + entry.getKey() + " does not match the step's commitment");
            }
            values.put(entry.getKey(), entry.getValue());
        }
        return values;
    }

    // ---- what a validator checks ----

    /** The validator's copy of a step, opened. */
    public record Copy(InstanceState prior, byte[] priorSalt, JsonNode data, Map<String, byte[]> salts, byte[] stateSalt) {
    }

    /** @throws ApiException 400 {@code invalid-workflow-step} when the plaintext is not a validator copy */
    public static Copy copy(byte[] plaintext) {
        try {
            JsonNode copy = JSON.readTree(plaintext);
            if (!FORMAT.equals(copy.path("format").asString(""))) {
                throw new IllegalArgumentException("unknown format");
            }
            Map<String, byte[]> salts = new LinkedHashMap<>();
            copy.path("salts").properties().forEach(e -> salts.put(e.getKey(), B64D.decode(e.getValue().asString())));
            byte[] priorSalt = copy.hasNonNull("priorSalt") ? B64D.decode(copy.path("priorSalt").asString()) : null;
            return new Copy(InstanceState.of(copy.path("prior")), priorSalt, copy.path("data"), salts,
                    B64D.decode(copy.path("stateSalt").asString()));
        } catch (RuntimeException e) {
            throw invalid("the validator copy is not a workflow step's: " + e.getMessage());
        }
    }

    /**
     * Checks a workflow step's transaction against the blueprint: the state before it (the instance's
     * start, or the one the previous step committed to), the action being open to the participant
     * whose bound wallet signed, the data, the calculations, the route, who receives what, and the
     * state after it.
     *
     * @param previous the instance's previous step (null for its first)
     * @throws ApiException a 4xx problem naming the first rule the step breaks
     */
    public static void check(Workflow workflow, JsonNode tx, Copy copy, JsonNode previous) {
        JsonNode payload = tx.path("payload");
        if (!FORMAT.equals(payload.path("format").asString(""))) {
            throw invalid("payload.format must be " + FORMAT);
        }
        if (!payload.path("disclosures").isArray() || !payload.path("disclosures").values().stream().allMatch(JsonNode::isObject)
                || !payload.path("validatorCopy").isObject() || !payload.path("commitments").isObject()) {
            throw invalid("payload needs commitments, disclosures (objects) and validatorCopy");
        }
        if (!"action".equals(tx.path("type").asString(""))) {
            throw invalid("a workflow step is an action transaction");
        }
        InstanceState prior = copy.prior();
        if (previous == null) {
            checkStart(workflow, prior);
        } else {
            for (String field : List.of("blueprintId", "blueprintVersion", "instanceId")) {
                if (!CanonicalJson.string(previous.path(field)).equals(CanonicalJson.string(tx.path(field)))) {
                    throw invalid("the previous transaction belongs to another " + (field.equals("instanceId") ? "instance" : "blueprint version"));
                }
            }
            String committed = previous.path("payload").path("stateHash").asString("");
            if (copy.priorSalt() == null || !prior.hash(copy.priorSalt()).equals(committed)) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "prior-state-mismatch", "Invalid request",
                        "The state this step starts from is not the one the previous step committed to");
            }
            if (Instant.parse(tx.path("timestamp").asString()).isBefore(Instant.parse(previous.path("timestamp").asString()))) {
                throw invalid("a step is not older than the step before it");
            }
        }
        Instant at;
        try {
            at = Instant.parse(tx.path("timestamp").asString(""));
        } catch (DateTimeParseException e) {
            throw invalid("timestamp must be an ISO-8601 instant");
        }
        String kind = payload.path("kind").asString("");
        String tokenId = payload.path("token").asString("");
        InstanceState.Token token = prior.open().stream().filter(t -> t.id().equals(tokenId)).findFirst().orElse(null);
        if (token == null || !tx.path("actionId").isIntegralNumber() || token.actionId() != tx.path("actionId").asInt()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "action-not-current", "Invalid request", "Action " + tx.path("actionId")
                    + " is not one the instance waits for after its previous step");
        }
        Blueprint.Action action = workflow.action(token.actionId()).action();
        String bound = prior.participants().get(action.sender());
        if (bound == null || !bound.equals(tx.path("sender").asString(""))) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "wrong-participant-wallet", "Invalid request", "Action " + action.id()
                    + " is participant '" + action.sender() + "''s, and the transaction is not signed by the wallet bound to it");
        }
        ObjectNode expected;
        InstanceState next;
        Map<String, JsonNode> calculated = Map.of();
        if (EXECUTE.equals(kind)) {
            Engine.Executed executed = Engine.execute(workflow, prior, tokenId, copy.data(), at);
            next = executed.next();
            calculated = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> c : executed.calculations().properties()) {
                calculated.put(Problem.at(c.getKey()), c.getValue());
            }
            List<Engine.Recipient> recipients = Engine.recipients(action, executed.stepData(), next.participants());
            expected = skeletonFor(EXECUTE, token, action, next, recipients, copy, tx, null);
        } else if (REJECT.equals(kind)) {
            JsonNode data = copy.data();
            Engine.Rejected rejected = Engine.reject(workflow, prior, tokenId, data.path("reason").asString(null), data.get("fieldErrors"), at);
            next = rejected.next();
            expected = skeletonFor(REJECT, token, action, next, Engine.recipients(workflow, rejected), copy, tx, rejected.config());
        } else {
            throw invalid("payload.kind must be execute or reject");
        }
        ObjectNode actual = ((ObjectNode) payload).deepCopy();
        actual.path("disclosures").values().forEach(d -> ((ObjectNode) d).remove("ciphertext"));
        ((ObjectNode) actual.path("validatorCopy")).remove("ciphertext");
        JsonNode actualCommitments = actual.path("commitments");
        for (Map.Entry<String, JsonNode> c : calculated.entrySet()) {
            if (!expected.path("commitments").path(c.getKey()).equals(actualCommitments.path(c.getKey()))) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "calculation-mismatch", "Invalid request", "Calculated field "
                        + c.getKey() + " is not what the blueprint's calculations give");
            }
        }
        if (!expected.path("stateHash").equals(actual.path("stateHash"))) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "state-mismatch", "Invalid request",
                    "stateHash is not the state that the blueprint's rules give after this step");
        }
        if (!CanonicalJson.string(expected.path("disclosures")).equals(CanonicalJson.string(actual.path("disclosures")))) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "disclosure-mismatch", "Invalid request",
                    "The step's recipients or what each receives are not what the action's disclosures give");
        }
        if (!CanonicalJson.string(expected).equals(CanonicalJson.string(actual))) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "commitment-mismatch", "Invalid request",
                    "The step's commitments or fields are not what the blueprint's rules give for this data");
        }
        ArrayNode recipients = JsonNodeFactory.instance.arrayNode();
        expected.path("disclosures").values().forEach(d -> recipients.add(d.path("walletAddress").asString()));
        if (!CanonicalJson.string(recipients).equals(CanonicalJson.string(tx.path("recipients")))) {
            throw invalid("recipients must be the wallets the step discloses to, in the order of payload.disclosures");
        }
    }

    private static ObjectNode skeletonFor(String kind, InstanceState.Token token, Blueprint.Action action, InstanceState next,
            List<Engine.Recipient> recipients, Copy copy, JsonNode tx, Blueprint.Rejection rejection) {
        Set<String> pointers = Engine.disclosedPointers(recipients);
        if (!copy.salts().keySet().equals(pointers)) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "disclosure-mismatch", "Invalid request",
                    "The step's disclosed fields are not what the action's disclosures give for this data");
        }
        return skeleton(kind, token, action, next.hash(copy.stateSalt()), recipients, copy.salts(),
                tx.path("payload").path("validatorCopy").path("walletAddress").asString(""), rejection);
    }

    /** The first step's state before it must be the instance's start, with every participant bound to a wallet address. */
    private static void checkStart(Workflow workflow, InstanceState prior) {
        Set<String> participants = new java.util.HashSet<>();
        workflow.blueprint().participants().forEach(p -> participants.add(p.id()));
        if (!prior.participants().keySet().equals(participants)
                || !prior.participants().values().stream().allMatch(dev.cairn.ledger.crypto.LedgerAddress::isValid)) {
            throw invalid("the first step must bind every participant of the blueprint to a wallet address");
        }
        InstanceState start = Engine.start(workflow, prior.participants());
        if (!CanonicalJson.string(start.json()).equals(CanonicalJson.string(prior.json()))) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "action-not-current", "Invalid request",
                    "A step without a previous transaction must start the instance: execute a starting action");
        }
    }

    private static ApiException invalid(String detail) {
        return ApiException.badRequest("invalid-workflow-step", detail);
    }

    private static byte[] salt() {
        byte[] salt = new byte[32];
        RANDOM.nextBytes(salt);
        return salt;
    }

    private static byte[] bytes(JsonNode json) {
        return CanonicalJson.bytes(json);
    }
}
