package dev.cairn.blueprint.execution;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;

import dev.cairn.blueprint.catalog.Catalog;
import dev.cairn.blueprint.clients.ValidatorClient;
import dev.cairn.blueprint.events.Notifications;
import dev.cairn.blueprint.instances.InstanceStore;
import dev.cairn.platform.workflow.Blueprint;
import dev.cairn.platform.workflow.Engine;
import dev.cairn.platform.workflow.InstanceState;
import dev.cairn.platform.workflow.StepTransaction;
import dev.cairn.platform.workflow.Workflow;

/**
 * Moving instances on as the ledger seals their steps. The register's {@code TransactionConfirmed}
 * events (over Redis, to every replica) mark a step sealed; the replica whose mark lands applies
 * it: the step's notifications are stored, then the instance's sealed state moves to the step's.
 * The validator's {@code TransactionRejected} events remove a rejected step. The sweep
 * ({@link #settle}) does the same for anything an event did not bring. Every write is
 * conditional or keyed, so replicas doing the same work at once do it once.
 */
@Component
public class StepProgress {

    private static final Logger log = LoggerFactory.getLogger(StepProgress.class);


    private final InstanceStore store;
    private final Catalog catalog;
    private final Notifications notifications;
    private final StepSubmission submission;
    private final ValidatorClient validator;
    private final JsonMapper json;
    private final Clock clock;

    StepProgress(InstanceStore store, Catalog catalog, Notifications notifications, StepSubmission submission, ValidatorClient validator,
            JsonMapper json, Clock clock) {
        this.store = store;
        this.catalog = catalog;
        this.notifications = notifications;
        this.submission = submission;
        this.validator = validator;
        this.json = json;
        this.clock = clock;
    }

    /**
     * A step's transaction was sealed at this height. A replica acts on the seals of the steps it
     * submitted itself; the sweep settles the others ({@link #settle}).
     */
    public void sealed(String instanceId, String txId, long height) {
        Long seq = submission.submittedHere(txId);
        if (seq != null && store.markSealed(instanceId, seq, height, clock.instant())) {
            advance(instanceId);
        }
    }

    /** A step's transaction was rejected by the validator: the step goes, and its action is open again. */
    public void rejected(String instanceId, String txId, String reason) {
        Optional<InstanceStore.Instance> instance = store.find(instanceId);
        if (instance.isEmpty()) {
            return;
        }
        for (InstanceStore.Step step : store.after(instance.get(), instance.get().appliedSeq())) {
            if (step.txId().equals(txId) && !InstanceStore.SEALED.equals(step.status())) {
                fail(instance.get(), step, reason);
                return;
            }
        }
    }

    private void fail(InstanceStore.Instance instance, InstanceStore.Step step, String reason) {
        log.info("Step {} of instance {} was rejected by the validator: {}", step.seq(), instance.id(), reason);
        store.fail(step, reason, clock.instant());
        ObjectNode body = json.createObjectNode().put("type", "ActionFailed").put("instanceId", instance.id()).put("actionId", step.actionId())
                .put("txId", step.txId()).put("reason", reason);
        String key = "failed:" + step.txId();
        notifications.append(List.of(new Notifications.Event(Notifications.instanceStream(instance.id()), key, body),
                new Notifications.Event(Notifications.walletStream(step.walletAddress()), key + ":" + step.walletAddress(), body)), true);
    }

    /**
     * Applies every sealed step after the last applied one, in order: its notifications are stored
     * (each once, whoever else stores them too: every event has a unique key), then the instance
     * moves on to the step's state.
     */
    public void advance(String instanceId) {
        for (int guard = 0; guard < 10_000; guard++) {
            InstanceStore.Instance instance = store.find(instanceId).orElse(null);
            if (instance == null) {
                return;
            }
            Optional<InstanceStore.Step> next = store.step(instanceId, instance.appliedSeq() + 1);
            if (next.isEmpty() || !InstanceStore.SEALED.equals(next.get().status())) {
                return;
            }
            InstanceStore.Step step = next.get();
            Workflow workflow = catalog.workflow(instance.blueprintId(), instance.version());
            notifications.append(events(instance, workflow, step), false);
            store.apply(step, clock.instant());
        }
    }

    /**
     * Catches up on an instance whose steps wait: submits what the validator never got, asks it
     * what became of the others, and applies what was sealed.
     */
    public void settle(InstanceStore.Instance instance, Instant resubmitBefore, Instant askBefore) {
        for (InstanceStore.Step step : store.after(instance, instance.appliedSeq())) {
            if (InstanceStore.SEALED.equals(step.status())) {
                continue;
            }
            if (InstanceStore.SUBMITTING.equals(step.status())) {
                if (step.createdAt().isAfter(resubmitBefore)) {
                    break; // its own request may still be submitting it
                }
                try {
                    submission.submit(step);
                } catch (RuntimeException e) {
                    log.info("Step {} of instance {} could not be submitted yet: {}", step.seq(), instance.id(), e.getMessage());
                    break;
                }
            }
            if (step.createdAt().isAfter(askBefore)) {
                break; // its seal event may still come
            }
            ValidatorClient.Answer status = validator.status(instance.registerId(), step.txId());
            if (!status.accepted()) {
                break;
            }
            String verdict = status.body().path("status").asString("");
            if (verdict.equals("sealed")) {
                store.markSealed(step.instanceId(), step.seq(), status.body().path("height").asLong(), clock.instant());
            } else if (verdict.equals("rejected")) {
                fail(instance, step, status.body().path("reason").asString("rejected by the validator"));
                break;
            } else {
                break; // pending: later steps cannot be sealed before it
            }
        }
        advance(instance.id());
        store.find(instance.id()).ifPresent(store::settleIfIdle);
    }

    /** Times out an instance whose open branch is past its deadline (unless a pending step already acted on it). */
    public void timeOutIfLate(InstanceStore.Instance instance, Instant now) {
        InstanceState head = store.head(instance).map(InstanceStore.Step::state).orElse(instance.startState());
        if (!Engine.timedOut(head, now)) {
            store.deadline(instance.id(), head.active() ? head.nextDeadline() : null); // a pending step acted in time
            return;
        }
        if (!store.timeOut(instance.id(), now)) {
            return;
        }
        log.info("Instance {} timed out: a branch passed its deadline", instance.id());
        ObjectNode body = json.createObjectNode().put("type", "WorkflowCompleted").put("instanceId", instance.id())
                .put("state", InstanceStore.TIMED_OUT);
        List<Notifications.Event> events = new ArrayList<>();
        events.add(new Notifications.Event(Notifications.instanceStream(instance.id()), "timeout:" + instance.id(), body));
        wallets(instance).forEach(w -> events.add(new Notifications.Event(Notifications.walletStream(w), "timeout:" + instance.id() + ":" + w, body)));
        notifications.append(events, false);
    }

    /** The notifications of a sealed step. */
    List<Notifications.Event> events(InstanceStore.Instance instance, Workflow workflow, InstanceStore.Step step) {
        List<Notifications.Event> events = new ArrayList<>();
        String instanceStream = Notifications.instanceStream(instance.id());
        String base = "step:" + step.txId();
        InstanceState state = step.state();
        if (StepTransaction.REJECT.equals(step.kind())) {
            Blueprint.Rejection config = workflow.action(step.actionId()).action().rejection();
            String target = Engine.targetParticipant(workflow, config);
            ObjectNode body = json.createObjectNode().put("type", "ActionRejected").put("instanceId", instance.id())
                    .put("rejectedActionId", step.actionId()).put("targetActionId", config.targetActionId()).put("targetParticipantId", target)
                    .put("terminal", config.terminal()).put("txId", step.txId()).put("height", step.height());
            events.add(new Notifications.Event(instanceStream, base + ":rejected", body));
            JsonNode rejection = json.readTree(step.stepData());
            ObjectNode withReason = body.deepCopy();
            if (rejection.has("reason")) {
                withReason.put("reason", rejection.path("reason").asString());
            }
            for (String wallet : distinct(step.walletAddress(), instance.participants().get(target).walletAddress())) {
                events.add(new Notifications.Event(Notifications.walletStream(wallet), base + ":rejected:" + wallet, withReason));
            }
        } else {
            ObjectNode body = json.createObjectNode().put("type", "ActionConfirmed").put("instanceId", instance.id())
                    .put("actionId", step.actionId()).put("title", workflow.action(step.actionId()).action().title())
                    .put("participantId", step.participantId()).put("walletAddress", step.walletAddress()).put("txId", step.txId())
                    .put("height", step.height());
            events.add(new Notifications.Event(instanceStream, base + ":confirmed", body));
            events.add(new Notifications.Event(Notifications.walletStream(step.walletAddress()), base + ":confirmed:" + step.walletAddress(), body));
        }
        String prefix = step.seq() + ".";
        for (InstanceState.Token token : state.open()) {
            if (token.id().startsWith(prefix)) {
                events.addAll(available(instance, workflow, token));
            }
        }
        if (!state.active()) {
            ObjectNode body = json.createObjectNode().put("type", "WorkflowCompleted").put("instanceId", instance.id()).put("state", state.status())
                    .put("txId", step.txId());
            events.add(new Notifications.Event(instanceStream, base + ":completed", body));
            wallets(instance).forEach(w -> events.add(new Notifications.Event(Notifications.walletStream(w), base + ":completed:" + w, body)));
        }
        return events;
    }

    /** {@code ActionAvailable} of an opened action: to the instance's stream, and to the wallet that must act. */
    public List<Notifications.Event> available(InstanceStore.Instance instance, Workflow workflow, InstanceState.Token token) {
        Blueprint.Action action = workflow.action(token.actionId()).action();
        String wallet = instance.participants().get(action.sender()).walletAddress();
        ObjectNode body = json.createObjectNode().put("type", "ActionAvailable").put("instanceId", instance.id()).put("actionId", action.id())
                .put("title", action.title()).put("participantId", action.sender()).put("walletAddress", wallet);
        if (token.branch() != null) {
            body.put("branchId", token.branch());
        }
        if (token.deadline() != null) {
            body.put("deadline", token.deadline().toString());
        }
        String key = "available:" + instance.id() + ":" + token.id();
        return List.of(new Notifications.Event(Notifications.instanceStream(instance.id()), key, body),
                new Notifications.Event(Notifications.walletStream(wallet), key + ":" + wallet, body));
    }

    private static Set<String> wallets(InstanceStore.Instance instance) {
        Set<String> wallets = new LinkedHashSet<>();
        instance.participants().values().forEach(b -> wallets.add(b.walletAddress()));
        return wallets;
    }

    private static Set<String> distinct(String... wallets) {
        return new LinkedHashSet<>(List.of(wallets));
    }
}
