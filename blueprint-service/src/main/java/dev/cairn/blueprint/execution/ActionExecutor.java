package dev.cairn.blueprint.execution;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import dev.cairn.blueprint.catalog.Catalog;
import dev.cairn.blueprint.clients.RegisterDirectory;
import dev.cairn.blueprint.clients.WalletDirectory;
import dev.cairn.blueprint.instances.InstanceAccess;
import dev.cairn.blueprint.instances.InstanceStore;
import dev.cairn.blueprint.instances.InstanceViews;
import dev.cairn.platform.auth.Caller;
import dev.cairn.ledger.crypto.SignatureVerifier;
import dev.cairn.platform.http.ServiceHttp;
import dev.cairn.ledger.CanonicalJson;
import dev.cairn.ledger.LedgerHashes;
import dev.cairn.platform.problem.ApiException;
import dev.cairn.platform.workflow.Blueprint;
import dev.cairn.platform.workflow.Engine;
import dev.cairn.platform.workflow.InstanceState;
import dev.cairn.platform.workflow.StepTransaction;
import dev.cairn.platform.workflow.Workflow;

/**
 * Executing and rejecting actions. A step is: the action is current, the caller holds the
 * sender's wallet, the data passes the rules ({@link Engine}), the transaction is built with each
 * recipient's part encrypted to its wallet ({@link StepTransaction}), the sender's wallet signs it,
 * the step is stored (the commit point), and the validator gets it. The instance moves on when
 * the ledger seals the step ({@link StepProgress}).
 *
 * <p>Exactly once: a step's place in its instance's chain and the open action it takes are both
 * unique keys. Two executions of the same action at the same moment, on any replicas, store one
 * step; the other caller gets that step's answer when its request was the same (same caller,
 * data and idempotency key), and 409 otherwise. A request sent again with its idempotency key is
 * answered from the step it made, whenever it comes.
 */
@Service
public class ActionExecutor {

    private static final int ATTEMPTS = 8;
    /** What an organisation's integration (a service token) needs to start instances and act in them. */
    public static final String EXECUTE_SCOPE = "blueprint:execute";

    /** What an execution or rejection answers. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Answer(String instanceId, int actionId, String kind, String txId, String status, Long height, JsonNode calculations,
            List<InstanceViews.ActionRef> nextActions, boolean complete) {
    }

    /** One kind of step: how it is made from the state before it. */
    private interface StepMaker {
        Made make(Workflow workflow, InstanceState prior, InstanceState.Token token, Instant at, StepTransaction.Context context,
                StepTransaction.Encryptor encryptor);
    }

    private record Made(StepTransaction.Built built, InstanceState next, ObjectNode stepData, ObjectNode calculations, List<InstanceState.Token> opened) {
    }

    private final InstanceStore store;
    private final InstanceAccess access;
    private final InstanceViews views;
    private final Catalog catalog;
    private final WalletDirectory wallets;
    private final RegisterDirectory registers;
    private final StepSubmission submission;
    private final JsonMapper json;
    private final Clock clock;
    private final Timer executions;

    ActionExecutor(InstanceStore store, InstanceAccess access, InstanceViews views, Catalog catalog, WalletDirectory wallets,
            RegisterDirectory registers, StepSubmission submission, JsonMapper json, Clock clock, MeterRegistry meters) {
        this.store = store;
        this.access = access;
        this.views = views;
        this.catalog = catalog;
        this.wallets = wallets;
        this.registers = registers;
        this.submission = submission;
        this.json = json;
        this.clock = clock;
        this.executions = Timer.builder("cairn.blueprint.steps").description("executing or rejecting an action, until the validator has it")
                .register(meters);
    }

    public Answer execute(Caller caller, String token, String instanceId, String actionId, JsonNode data, String idempotencyKey, String branch) {
        ObjectNode request = json.createObjectNode().put("kind", StepTransaction.EXECUTE).put("actionId", actionId);
        request.set("data", data);
        return executions.record(() -> run(caller, token, instanceId, actionId, StepTransaction.EXECUTE, idempotencyKey, branch, request,
                (workflow, prior, open, at, context, encryptor) -> {
                    Engine.Executed executed = Engine.execute(workflow, prior, open.id(), data, at);
                    StepTransaction.Built built = StepTransaction.execution(context, executed, data, at, encryptor);
                    return new Made(built, executed.next(), executed.stepData(), executed.calculations(), executed.opened());
                }));
    }

    public Answer reject(Caller caller, String token, String instanceId, String actionId, String reason, JsonNode fieldErrors,
            String idempotencyKey, String branch) {
        ObjectNode request = json.createObjectNode().put("kind", StepTransaction.REJECT).put("actionId", actionId).put("reason", reason);
        request.set("fieldErrors", fieldErrors);
        return executions.record(() -> run(caller, token, instanceId, actionId, StepTransaction.REJECT, idempotencyKey, branch, request,
                (workflow, prior, open, at, context, encryptor) -> {
                    Engine.Rejected rejected = Engine.reject(workflow, prior, open.id(), reason, fieldErrors, at);
                    StepTransaction.Built built = StepTransaction.rejection(context, workflow, rejected, at, encryptor);
                    return new Made(built, rejected.next(), rejected.rejectionData(), json.createObjectNode(), rejected.opened());
                }));
    }

    private Answer run(Caller caller, String token, String instanceId, String actionIdText, String kind, String idempotencyKey, String branch,
            ObjectNode request, StepMaker maker) {
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
            throw ApiException.badRequest("invalid-idempotency-key", "idempotencyKey is 1 to 200 characters");
        }
        requireActor(caller);
        InstanceStore.Instance instance = access.find(instanceId);
        InstanceAccess.Viewer viewer = access.viewer(caller, token, instance);
        Workflow workflow = catalog.workflow(instance.blueprintId(), instance.version());
        int actionId = actionId(actionIdText, workflow);
        Blueprint.Action action = workflow.action(actionId).action();
        request.put("caller", caller.subject()).put("idempotencyKey", idempotencyKey);
        String fingerprint = LedgerHashes.hex(SignatureVerifier.sha256(CanonicalJson.bytes(request)));
        if (!viewer.participants().contains(action.sender())) {
            throw new ApiException(HttpStatus.FORBIDDEN, "not-participant", "Forbidden", "Action " + actionId + " is participant '"
                    + action.sender() + "''s, and you do not hold the wallet bound to it");
        }
        String wallet = instance.participants().get(action.sender()).walletAddress();
        RegisterDirectory.Register register = registers.online(instance.registerId())
                .orElseThrow(() -> new ServiceHttp.UnreachableException("register " + instance.registerId() + " is not online", null));
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            InstanceStore.Instance current = attempt == 0 ? instance : access.find(instanceId);
            if (InstanceStore.TIMED_OUT.equals(current.state())) {
                throw ApiException.conflict("instance-not-active", "The instance timed out");
            }
            Optional<InstanceStore.Step> head = store.head(current);
            InstanceState prior = head.map(InstanceStore.Step::state).orElse(current.startState());
            InstanceState.Token open = Engine.token(prior, actionId, branch);
            if (open == null || !store.openedBySealedStep(current, open)) {
                Optional<InstanceStore.Step> same = sameRequest(current, fingerprint);
                if (same.isEmpty() && idempotencyKey != null) {
                    same = store.byIdempotencyKey(current.id(), idempotencyKey); // sent again long after
                    if (same.isPresent() && !same.get().fingerprint().equals(fingerprint)) {
                        throw ApiException.conflict("idempotency-key-reused", "This idempotencyKey was used for another request on this instance");
                    }
                }
                if (same.isPresent()) {
                    return answer(current, workflow, submission.ensureSubmitted(same.get()));
                }
                if (!InstanceState.ACTIVE.equals(current.state())) {
                    throw ApiException.conflict("instance-not-active", "The instance is " + current.state());
                }
                throw ApiException.conflict("action-not-current", open == null ? "Action " + actionId + " is not one the instance waits for"
                        : "Action " + actionId + " becomes current once the step before it is sealed");
            }
            Instant at = clock.instant();
            StepTransaction.Context context = new StepTransaction.Context(current.registerId(), current.blueprintId(), current.version(),
                    current.id(), head.map(InstanceStore.Step::txId).orElse(null), prior,
                    head.map(s -> Base64.getDecoder().decode(s.stateSalt())).orElse(null), register.validators().address());
            Made made = maker.make(workflow, prior, open, at, context, encryptor(current, register));
            ObjectNode tx = made.built().transaction();
            String txId = LedgerHashes.transactionId(tx);
            tx.put("txId", txId);
            tx.set("signature", wallets.sign(token, wallet, txId));
            Map<String, List<String>> disclosed = new LinkedHashMap<>();
            made.built().recipients().forEach(r -> disclosed.put(r.walletAddress(), List.copyOf(r.values().keySet())));
            long seq = head.map(InstanceStore.Step::seq).orElse(0L) + 1;
            InstanceStore.Step step = new InstanceStore.Step(current.id(), seq, current.id() + "/" + open.id(), kind, actionId, open.id(),
                    open.branch(), action.sender(), wallet, caller.subject(), txId, CanonicalJson.string(tx),
                    head.map(InstanceStore.Step::txId).orElse(null), InstanceStore.SUBMITTING, null, made.next(),
                    Base64.getEncoder().encodeToString(made.built().stateSalt()), json.writeValueAsString(made.stepData()),
                    json.writeValueAsString(made.calculations()), disclosed, fingerprint, idempotencyKey, at, null);
            if (!store.insert(step)) {
                Optional<InstanceStore.Step> winner = store.byActivation(step.activation());
                if (winner.isPresent() && winner.get().fingerprint().equals(fingerprint)) {
                    return answer(current, workflow, submission.ensureSubmitted(winner.get()));
                }
                continue; // the chain moved on: start again from its new head
            }
            store.noteHead(current.id(), seq, at);
            return answer(current, workflow, submission.submit(step));
        }
        throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "busy", "Service unavailable",
                "Too many steps of this instance are being made at once; try again");
    }

    /** The step this same request made earlier, if it made one since the last sealed step. */
    private Optional<InstanceStore.Step> sameRequest(InstanceStore.Instance instance, String fingerprint) {
        List<InstanceStore.Step> recent = new ArrayList<>();
        store.step(instance.id(), instance.appliedSeq()).ifPresent(recent::add);
        recent.addAll(store.after(instance, instance.appliedSeq()));
        return recent.stream().filter(s -> s.fingerprint().equals(fingerprint)).findFirst();
    }

    private Answer answer(InstanceStore.Instance instance, Workflow workflow, InstanceStore.Step step) {
        List<InstanceViews.ActionRef> next = new ArrayList<>();
        String prefix = step.seq() + ".";
        step.state().open().stream().filter(t -> t.id().startsWith(prefix))
                .forEach(t -> next.add(views.ref(instance, workflow, t.actionId(), t.branch())));
        return new Answer(instance.id(), step.actionId(), StepTransaction.REJECT.equals(step.kind()) ? "rejected" : "executed", step.txId(),
                InstanceStore.SEALED.equals(step.status()) ? "sealed" : "pending", step.height(), json.readTree(step.calculations()), next,
                !step.state().active());
    }

    /** Encrypts to each recipient's key: a participant's was bound when the instance started; a literal address is looked up. */
    private StepTransaction.Encryptor encryptor(InstanceStore.Instance instance, RegisterDirectory.Register register) {
        Map<String, WalletDirectory.PublicKey> keys = new LinkedHashMap<>();
        instance.participants().values().forEach(b -> keys.put(b.walletAddress(),
                new WalletDirectory.PublicKey(b.walletAddress(), b.algorithm(), Base64.getDecoder().decode(b.publicKey()))));
        keys.put(register.validators().address(), register.validators());
        return (address, plaintext) -> {
            WalletDirectory.PublicKey key = keys.get(address);
            return wallets.encrypt(key != null ? key : wallets.publicKey(address), plaintext);
        };
    }

    /** A user, or an integration's service token with {@value #EXECUTE_SCOPE}. */
    public static void requireActor(Caller caller) {
        if (caller.isService() && !caller.hasScope(EXECUTE_SCOPE)) {
            throw new ApiException(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", "This operation needs a user's token or scope '"
                    + EXECUTE_SCOPE + "'");
        }
    }

    static int actionId(String text, Workflow workflow) {
        if (text == null || !text.matches("[0-9]{1,9}")) {
            throw ApiException.badRequest("invalid-action-id", "An action id is a whole number");
        }
        int id = Integer.parseInt(text);
        if (!workflow.hasAction(id)) {
            throw ApiException.notFound("action " + id);
        }
        return id;
    }
}
