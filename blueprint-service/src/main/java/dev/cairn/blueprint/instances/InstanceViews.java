package dev.cairn.blueprint.instances;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.bson.Document;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;

import dev.cairn.blueprint.catalog.Catalog;
import dev.cairn.platform.workflow.Blueprint;
import dev.cairn.platform.workflow.InstanceState;
import dev.cairn.platform.workflow.Workflow;

/** What the API shows of an instance to one viewer. */
@Component
public class InstanceViews {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ActionRef(int actionId, String title, String participantId, String walletAddress, String branchId) {
    }

    public record ParticipantView(String participantId, String name, String walletAddress, boolean yours) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StepView(long seq, int actionId, String title, String kind, String txId, String status, Long height, JsonNode calculations,
            String participantId, String walletAddress, String actor, Instant time, Instant sealedAt) {
    }

    public record FailureView(int actionId, String kind, String txId, String reason, Instant at) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InstanceView(String id, String organizationId, String blueprintId, int blueprintVersion, String blueprintTitle,
            String registerId, String state, List<ParticipantView> participants, List<ActionRef> currentActions, List<ActionRef> waiting,
            JsonNode data, List<StepView> history, List<FailureView> failures, String createdBy, Instant createdAt, Instant updatedAt,
            Instant completedAt) {
    }

    /** A summary for lists: no data, no history. */
    public record InstanceSummary(String id, String blueprintId, int blueprintVersion, String registerId, String state, List<ActionRef> currentActions,
            Instant createdAt, Instant updatedAt) {
    }

    private final InstanceStore store;
    private final Catalog catalog;
    private final JsonMapper json;

    InstanceViews(InstanceStore store, Catalog catalog, JsonMapper json) {
        this.store = store;
        this.catalog = catalog;
        this.json = json;
    }

    public InstanceView view(InstanceStore.Instance instance, InstanceAccess.Viewer viewer) {
        Workflow workflow = catalog.workflow(instance.blueprintId(), instance.version());
        List<InstanceStore.Step> steps = store.all(instance);
        InstanceState head = steps.isEmpty() ? instance.startState() : steps.get(steps.size() - 1).state();
        Set<String> wallets = viewer.wallets(instance);
        ObjectNode data = json.createObjectNode();
        List<StepView> history = new ArrayList<>();
        for (InstanceStore.Step step : steps) {
            JsonNode stepData = json.readTree(step.stepData());
            ObjectNode calculations = json.createObjectNode();
            JsonNode calculated = json.readTree(step.calculations());
            for (String wallet : wallets) {
                for (String pointer : step.disclosed().getOrDefault(wallet, List.of())) {
                    JsonNode value = stepData.at(pointer);
                    if (InstanceStore.SEALED.equals(step.status())) {
                        put(data, pointer, value);
                    }
                    String field = pointer.substring(1).replace("~1", "/").replace("~0", "~");
                    if (calculated.has(field) && pointer.indexOf('/', 1) < 0) {
                        calculations.set(field, calculated.get(field));
                    }
                }
            }
            history.add(new StepView(step.seq(), step.actionId(), title(workflow, step.actionId()),
                    "reject".equals(step.kind()) ? "rejected" : "executed", step.txId(),
                    InstanceStore.SEALED.equals(step.status()) ? "sealed" : "pending", step.height(), calculations, step.participantId(),
                    step.walletAddress(), step.actor(), step.createdAt(), step.sealedAt()));
        }
        List<FailureView> failures = new ArrayList<>();
        for (Document f : store.failures(instance.id())) {
            failures.add(new FailureView(f.getInteger("actionId"), "reject".equals(f.getString("kind")) ? "rejected" : "executed",
                    f.getString("txId"), f.getString("failure"), f.getDate("failedAt").toInstant()));
        }
        List<ParticipantView> participants = new ArrayList<>();
        for (Blueprint.Participant p : workflow.blueprint().participants()) {
            participants.add(new ParticipantView(p.id(), p.name(), instance.participants().get(p.id()).walletAddress(),
                    viewer.participants().contains(p.id())));
        }
        return new InstanceView(instance.id(), instance.organizationId(), instance.blueprintId(), instance.version(),
                workflow.blueprint().title(), instance.registerId(), instance.state(), participants, current(instance, workflow, head, steps),
                refs(instance, workflow, head.waiting()), data, history, failures, instance.createdBy(), instance.createdAt(),
                instance.updatedAt(), instance.completedAt());
    }

    public InstanceSummary summary(InstanceStore.Instance instance) {
        Workflow workflow = catalog.workflow(instance.blueprintId(), instance.version());
        InstanceState head = store.head(instance).map(InstanceStore.Step::state).orElse(instance.startState());
        return new InstanceSummary(instance.id(), instance.blueprintId(), instance.version(), instance.registerId(), instance.state(),
                current(instance, workflow, head), instance.createdAt(), instance.updatedAt());
    }

    /** The actions that can be executed now: open after the latest step, and opened by a step the ledger has sealed. */
    public List<ActionRef> current(InstanceStore.Instance instance, Workflow workflow, InstanceState head) {
        return current(instance, workflow, head, t -> store.openedBySealedStep(instance, t));
    }

    /** The same, with the instance's steps at hand (in order, from 1). */
    private List<ActionRef> current(InstanceStore.Instance instance, Workflow workflow, InstanceState head, List<InstanceStore.Step> steps) {
        return current(instance, workflow, head, t -> {
            int openedBy = Integer.parseInt(t.id().substring(0, t.id().indexOf('.')));
            if (openedBy <= instance.appliedSeq()) {
                return true;
            }
            InstanceStore.Step step = openedBy <= steps.size() ? steps.get(openedBy - 1) : null;
            return step != null && step.seq() == openedBy ? InstanceStore.SEALED.equals(step.status()) : store.openedBySealedStep(instance, t);
        });
    }

    private List<ActionRef> current(InstanceStore.Instance instance, Workflow workflow, InstanceState head,
            java.util.function.Predicate<InstanceState.Token> openedBySealedStep) {
        if (!InstanceState.ACTIVE.equals(instance.state())) {
            return List.of();
        }
        return refs(instance, workflow, head.open().stream().filter(openedBySealedStep).toList());
    }

    public List<ActionRef> refs(InstanceStore.Instance instance, Workflow workflow, List<InstanceState.Token> tokens) {
        List<ActionRef> refs = new ArrayList<>();
        for (InstanceState.Token t : tokens) {
            refs.add(ref(instance, workflow, t.actionId(), t.branch()));
        }
        return refs;
    }

    public ActionRef ref(InstanceStore.Instance instance, Workflow workflow, int actionId, String branch) {
        Blueprint.Action action = workflow.action(actionId).action();
        return new ActionRef(actionId, action.title(), action.sender(), instance.participants().get(action.sender()).walletAddress(), branch);
    }

    private static String title(Workflow workflow, int actionId) {
        return workflow.hasAction(actionId) ? workflow.action(actionId).action().title() : null;
    }

    /** Sets the value at a JSON Pointer, making the objects on the way. */
    private static void put(ObjectNode root, String pointer, JsonNode value) {
        if (value.isMissingNode()) {
            return;
        }
        String[] segments = pointer.substring(1).split("/", -1);
        ObjectNode node = root;
        for (int i = 0; i < segments.length; i++) {
            String name = segments[i].replace("~1", "/").replace("~0", "~");
            if (i == segments.length - 1) {
                node.set(name, value);
            } else {
                JsonNode next = node.get(name);
                node = next instanceof ObjectNode object ? object : node.putObject(name);
            }
        }
    }
}
