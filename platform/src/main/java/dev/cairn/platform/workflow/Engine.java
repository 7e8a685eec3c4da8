package dev.cairn.platform.workflow;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpStatus;

import dev.cairn.platform.ledger.DataSchema;
import dev.cairn.platform.problem.ApiException;
import dev.cairn.platform.workflow.InstanceState.Token;

/**
 * The rules of a workflow step, as pure functions of the state before it: the blueprint service
 * runs them to execute an action, and the validator runs them again to check the step's
 * transaction. Nothing here reads a clock or a store; time comes from the transaction.
 *
 * <p>Executing an action: the action must be open, within its branch's deadline, and its
 * {@code requiredPriorActions} executed; the data must satisfy every data schema (or, without
 * schemas, hold every {@code requiredActionData} field); calculations run in order on the
 * accumulated data with the new data laid over it, each seeing the results before it; then the
 * first route whose condition holds is taken, else the unconditional default route, else the
 * branch ends.
 *
 * <p>Branches and joins: a route with several next actions starts one branch per action. An
 * action that a branch arrives at becomes current once no other open action can still lead to
 * it; the branches waiting there then continue as one. So an action that several branches lead
 * to waits until every branch that can still reach it has arrived, and a branch that ends
 * elsewhere (or completes) is no longer waited for. If every remaining branch waits for another
 * (a cycle of joins), they all continue.
 */
public final class Engine {

    private Engine() {
    }

    /** The step an execution makes: the next state, the data the step records, and what it opened. */
    public record Executed(InstanceState next, Blueprint.Action action, Token token, ObjectNode stepData, ObjectNode calculations,
            Blueprint.Route route, List<Token> opened) {
    }

    /** The step a rejection makes; {@code opened} is the target action's token, empty when the rejection ended the instance. */
    public record Rejected(InstanceState next, Blueprint.Action action, Token token, ObjectNode rejectionData, Blueprint.Rejection config,
            List<Token> opened) {
    }

    /** A new instance: the starting actions open, nothing else. */
    public static InstanceState start(Workflow workflow, Map<String, String> participants) {
        List<Token> open = new ArrayList<>();
        List<Blueprint.Action> starting = workflow.blueprint().startingActions();
        for (int i = 0; i < starting.size(); i++) {
            open.add(new Token("0." + i, starting.get(i).id(), null, null));
        }
        return new InstanceState(InstanceState.ACTIVE, 0, participants, JsonNodeFactory.instance.objectNode(), open, List.of(), List.of());
    }

    /** The open token of an action: the one on {@code branch} when given, else the first. */
    public static Token token(InstanceState state, int actionId, String branch) {
        for (Token token : state.open()) {
            if (token.actionId() == actionId && (branch == null || branch.equals(token.branch()))) {
                return token;
            }
        }
        return null;
    }

    public static Executed execute(Workflow workflow, InstanceState prior, String tokenId, JsonNode data, Instant at) {
        Token token = openToken(prior, tokenId, at);
        Workflow.CompiledAction compiled = workflow.action(token.actionId());
        Blueprint.Action action = compiled.action();
        List<Integer> missing = action.requiredPriorActions().stream().filter(id -> !prior.executed().contains(id)).toList();
        if (!missing.isEmpty()) {
            throw new ApiException(HttpStatus.CONFLICT, "required-prior-actions", "Conflict", "Action " + action.id()
                    + " needs actions " + missing + " to be executed first");
        }
        if (data == null || !data.isObject()) {
            throw ApiException.badRequest("invalid-data", "data must be a JSON object");
        }
        checkData(compiled, data);
        ObjectNode merged = prior.data().deepCopy();
        merged.setAll((ObjectNode) data);
        ObjectNode calculations = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, Logic> calculation : compiled.calculations().entrySet()) {
            JsonNode value;
            try {
                value = calculation.getValue().evaluate(merged);
            } catch (Logic.LogicException e) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "calculation-failed", "Invalid request", "Calculation '" + calculation.getKey()
                        + "' of action " + action.id() + " failed on this data: " + e.getMessage(),
                        Map.of("pointer", Problem.child(action.pointer() + "/calculations", calculation.getKey())));
            }
            merged.set(calculation.getKey(), value);
            calculations.set(calculation.getKey(), value);
        }
        ObjectNode stepData = ((ObjectNode) data).deepCopy();
        stepData.setAll(calculations);
        Blueprint.Route route = route(compiled, merged);
        long step = prior.step() + 1;
        List<Token> open = new ArrayList<>(prior.open());
        open.remove(token);
        List<Token> waiting = new ArrayList<>(prior.waiting());
        if (route != null) {
            List<Integer> next = route.nextActionIds();
            for (int i = 0; i < next.size(); i++) {
                if (next.size() == 1) {
                    waiting.add(new Token("", next.get(i), token.branch(), token.deadline()));
                } else {
                    String branch = (token.branch() == null ? "" : token.branch() + "/") + route.id() + "-branch-" + i;
                    Instant deadline = route.branchDeadline() == null ? token.deadline() : earliest(token.deadline(), at.plus(route.branchDeadline()));
                    waiting.add(new Token("", next.get(i), branch, deadline));
                }
            }
        }
        List<Integer> executed = new ArrayList<>(prior.executed());
        executed.add(action.id());
        InstanceState next = settle(workflow, prior, step, merged, open, waiting, executed);
        return new Executed(next, action, token, stepData, calculations, route, opened(next, step));
    }

    public static Rejected reject(Workflow workflow, InstanceState prior, String tokenId, String reason, JsonNode fieldErrors, Instant at) {
        Token token = openToken(prior, tokenId, at);
        Workflow.CompiledAction compiled = workflow.action(token.actionId());
        Blueprint.Action action = compiled.action();
        Blueprint.Rejection config = action.rejection();
        if (config == null) {
            throw ApiException.badRequest("rejection-not-allowed", "Action " + action.id() + " cannot be rejected: it has no rejectionConfig");
        }
        if (config.requireReason() && (reason == null || reason.isBlank())) {
            throw ApiException.badRequest("reason-required", "Rejecting action " + action.id() + " needs a reason");
        }
        ObjectNode rejection = JsonNodeFactory.instance.objectNode();
        if (reason != null) {
            rejection.put("reason", reason);
        }
        if (fieldErrors != null && !fieldErrors.isNull() && !fieldErrors.isMissingNode()) {
            rejection.set("fieldErrors", fieldErrors);
        }
        if (compiled.rejectionSchema() != null) {
            List<Problem> problems = problems(compiled.rejectionSchema(), rejection);
            if (!problems.isEmpty()) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "rejection-does-not-conform", "Invalid request",
                        "The rejection does not satisfy the action's rejectionSchema: " + problems.get(0).message(), Map.of("errors", problems));
            }
        }
        long step = prior.step() + 1;
        InstanceState next;
        List<Token> opened;
        if (config.terminal()) {
            next = new InstanceState(InstanceState.REJECTED, step, prior.participants(), prior.data(), List.of(), List.of(), prior.executed());
            opened = List.of();
        } else {
            Token target = new Token(step + ".0", config.targetActionId(), null, null);
            next = new InstanceState(InstanceState.ACTIVE, step, prior.participants(), prior.data(), List.of(target), List.of(), prior.executed());
            opened = List.of(target);
        }
        return new Rejected(next, action, token, rejection, config, opened);
    }

    /** Whether an open branch of the instance is past its deadline at this moment. */
    public static boolean timedOut(InstanceState state, Instant now) {
        Instant deadline = state.nextDeadline();
        return state.active() && deadline != null && now.isAfter(deadline);
    }

    private static Token openToken(InstanceState prior, String tokenId, Instant at) {
        if (!prior.active()) {
            throw new ApiException(HttpStatus.CONFLICT, "instance-not-active", "Conflict", "The instance is " + prior.status());
        }
        Token token = prior.open().stream().filter(t -> t.id().equals(tokenId)).findFirst().orElseThrow(() -> new ApiException(
                HttpStatus.CONFLICT, "action-not-current", "Conflict", "The action is not one the instance waits for"));
        if (token.deadline() != null && at.isAfter(token.deadline())) {
            throw new ApiException(HttpStatus.CONFLICT, "branch-deadline-passed", "Conflict", "The deadline of branch " + token.branch()
                    + " passed at " + token.deadline());
        }
        return token;
    }

    private static void checkData(Workflow.CompiledAction compiled, JsonNode data) {
        List<Problem> problems = new ArrayList<>();
        for (DataSchema schema : compiled.schemas()) {
            problems.addAll(problems(schema, data));
        }
        if (!problems.isEmpty()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "data-does-not-conform", "Invalid request", "The data does not satisfy the data "
                    + "schemas of action " + compiled.action().id() + ": " + problems.get(0).pointer() + " " + problems.get(0).message(),
                    Map.of("errors", problems));
        }
        if (compiled.schemas().isEmpty()) {
            List<String> absent = compiled.action().requiredActionData().stream().filter(field -> !data.has(field)).toList();
            if (!absent.isEmpty()) {
                throw ApiException.badRequest("missing-required-data", "Action " + compiled.action().id() + " needs the fields " + absent);
            }
        }
    }

    private static List<Problem> problems(DataSchema schema, JsonNode data) {
        return schema.errors(data).stream().map(e -> new Problem(e.pointer(), e.message())).toList();
    }

    /** The route taken: the first whose condition holds, else the unconditional default; null when none applies. */
    private static Blueprint.Route route(Workflow.CompiledAction compiled, JsonNode data) {
        Blueprint.Route fallback = null;
        List<Blueprint.Route> routes = compiled.action().routes();
        for (int i = 0; i < routes.size(); i++) {
            Blueprint.Route route = routes.get(i);
            Logic condition = compiled.conditions().get(i);
            if (condition == null) {
                if (route.isDefault() && fallback == null) {
                    fallback = route;
                }
                continue;
            }
            boolean holds;
            try {
                holds = condition.test(data);
            } catch (Logic.LogicException e) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "route-condition-failed", "Invalid request", "The condition of route '"
                        + route.id() + "' failed on this data: " + e.getMessage(),
                        Map.of("pointer", compiled.action().pointer() + "/routes/" + i + "/condition"));
            }
            if (holds) {
                return route;
            }
        }
        return fallback;
    }

    /**
     * Opens every waiting action that no open (or other waiting) action can still lead to,
     * merging the branches waiting there, until nothing changes; numbers the tokens it opens.
     */
    private static InstanceState settle(Workflow workflow, InstanceState prior, long step, ObjectNode data, List<Token> open,
            List<Token> waiting, List<Integer> executed) {
        int[] counter = {0};
        boolean changed = true;
        while (changed && !waiting.isEmpty()) {
            changed = false;
            for (int actionId : new LinkedHashSet<>(waiting.stream().map(Token::actionId).toList())) {
                if (!stillReachable(workflow, actionId, open, waiting)) {
                    open.add(merge(waiting, actionId, step, counter));
                    waiting.removeIf(t -> t.actionId() == actionId);
                    changed = true;
                }
            }
            if (!changed && open.isEmpty() && !waiting.isEmpty()) {
                for (int actionId : new LinkedHashSet<>(waiting.stream().map(Token::actionId).toList())) {
                    open.add(merge(waiting, actionId, step, counter));
                }
                waiting.clear();
            }
        }
        // tokens that were waiting before this step and still wait keep their ids; new arrivals get ids too
        List<Token> waitingNumbered = new ArrayList<>();
        for (Token t : waiting) {
            waitingNumbered.add(t.id().isEmpty() ? new Token(step + "." + counter[0]++, t.actionId(), t.branch(), t.deadline()) : t);
        }
        String status = open.isEmpty() && waitingNumbered.isEmpty() ? InstanceState.COMPLETED : InstanceState.ACTIVE;
        return new InstanceState(status, step, prior.participants(), data, open, waitingNumbered, executed);
    }

    private static boolean stillReachable(Workflow workflow, int actionId, List<Token> open, List<Token> waiting) {
        for (Token t : open) {
            if (workflow.canReach(t.actionId(), actionId)) {
                return true;
            }
        }
        for (Token t : waiting) {
            if (t.actionId() != actionId && workflow.canReach(t.actionId(), actionId)) {
                return true;
            }
        }
        return false;
    }

    private static Token merge(List<Token> waiting, int actionId, long step, int[] counter) {
        List<Token> arrived = waiting.stream().filter(t -> t.actionId() == actionId).toList();
        String branch = commonBranch(arrived);
        Instant deadline = null;
        if (branch != null) {
            for (Token t : arrived) {
                if (t.deadline() == null) {
                    deadline = null;
                    break;
                }
                deadline = deadline == null || t.deadline().isAfter(deadline) ? t.deadline() : deadline;
            }
        }
        return new Token(step + "." + counter[0]++, actionId, branch, deadline);
    }

    /** The innermost branch that every arrived token is on (null: the main line). */
    private static String commonBranch(List<Token> tokens) {
        if (tokens.size() == 1) {
            return tokens.get(0).branch();
        }
        List<String> common = null;
        for (Token t : tokens) {
            List<String> segments = t.branch() == null ? List.of() : List.of(t.branch().split("/"));
            if (common == null) {
                common = new ArrayList<>(segments);
            } else {
                int n = 0;
                while (n < common.size() && n < segments.size() && common.get(n).equals(segments.get(n))) {
                    n++;
                }
                common = new ArrayList<>(common.subList(0, n));
            }
        }
        return common == null || common.isEmpty() ? null : String.join("/", common);
    }

    private static List<Token> opened(InstanceState next, long step) {
        String prefix = step + ".";
        return next.open().stream().filter(t -> t.id().startsWith(prefix)).toList();
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    /** Who receives which part of a step's data: a participant's bound wallet, or a literal address. */
    public record Recipient(String participantId, String walletAddress, Map<String, JsonNode> values) {
    }

    /**
     * The recipients of an executed action's data, in the order of the action's disclosures (the
     * same participant twice gets the union): each participant named gets its bound wallet, a
     * wallet address is taken as it is. The sender receives everything unless a disclosure names it.
     */
    public static List<Recipient> recipients(Blueprint.Action action, ObjectNode stepData, Map<String, String> participants) {
        Map<String, List<String>> pointers = new LinkedHashMap<>();
        for (Blueprint.Disclosure disclosure : action.disclosures()) {
            pointers.computeIfAbsent(disclosure.participant(), k -> new ArrayList<>()).addAll(disclosure.pointers());
        }
        if (!pointers.containsKey(action.sender())) {
            pointers.put(action.sender(), List.of("/*"));
        }
        return recipients(pointers, stepData, participants);
    }

    /** The recipients of a rejection: the participant who rejected, and the one the rejection sends the work back to. */
    public static List<Recipient> recipients(Workflow workflow, Rejected rejected) {
        Map<String, List<String>> pointers = new LinkedHashMap<>();
        pointers.put(rejected.action().sender(), List.of("/*"));
        String target = targetParticipant(workflow, rejected.config());
        pointers.putIfAbsent(target, List.of("/*"));
        return recipients(pointers, rejected.rejectionData(), rejected.next().participants());
    }

    /** The participant a rejection turns to: {@code targetParticipantId}, else the target action's sender. */
    public static String targetParticipant(Workflow workflow, Blueprint.Rejection config) {
        if (config.targetParticipantId() != null && workflow.blueprint().participant(config.targetParticipantId()).isPresent()) {
            return config.targetParticipantId();
        }
        return workflow.action(config.targetActionId()).action().sender();
    }

    private static List<Recipient> recipients(Map<String, List<String>> pointers, ObjectNode data, Map<String, String> participants) {
        Map<String, Recipient> byWallet = new LinkedHashMap<>();
        pointers.forEach((who, list) -> {
            String participantId = participants.containsKey(who) ? who : null;
            String wallet = participantId != null ? participants.get(who) : who;
            Map<String, JsonNode> values = Disclosures.select(data, list);
            Recipient earlier = byWallet.get(wallet);
            if (earlier != null) {
                Map<String, JsonNode> union = new LinkedHashMap<>(earlier.values());
                union.putAll(values);
                byWallet.put(wallet, new Recipient(earlier.participantId() != null ? earlier.participantId() : participantId, wallet, union));
            } else {
                byWallet.put(wallet, new Recipient(participantId, wallet, values));
            }
        });
        return List.copyOf(byWallet.values());
    }

    /** Every pointer some recipient receives, once. */
    public static Set<String> disclosedPointers(List<Recipient> recipients) {
        Set<String> all = new LinkedHashSet<>();
        recipients.forEach(r -> all.addAll(r.values().keySet()));
        return all;
    }
}
