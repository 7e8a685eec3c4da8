package dev.cairn.platform.workflow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;

import dev.cairn.ledger.crypto.LedgerAddress;
import dev.cairn.platform.ledger.DataSchema;

/**
 * Whether a blueprint's parts fit together, each problem at a JSON Pointer into the document.
 * Errors stop a blueprint from being published; warnings (an unreachable action, a cycle, a
 * field Cairn does not act on) do not.
 */
public final class BlueprintRules {

    public static final int MAX_PARTICIPANTS = 100;
    public static final int MAX_ACTIONS = 500;

    /** What {@link #check} found. */
    public record Report(List<Problem> errors, List<Problem> warnings) {
        public boolean valid() {
            return errors.isEmpty();
        }
    }

    private BlueprintRules() {
    }

    /** Reads and checks a blueprint document. */
    public static Report check(JsonNode document) {
        Blueprint.Parsed parsed = Blueprint.parse(document);
        List<Problem> errors = new ArrayList<>(parsed.errors());
        List<Problem> warnings = new ArrayList<>(parsed.warnings());
        check(parsed.blueprint(), errors, warnings);
        return new Report(List.copyOf(errors), List.copyOf(warnings));
    }

    private static void check(Blueprint blueprint, List<Problem> errors, List<Problem> warnings) {
        if (!blueprint.title().isEmpty() && (blueprint.title().strip().length() < 3 || blueprint.title().length() > 200)) {
            errors.add(new Problem("/title", "title must be 3 to 200 characters"));
        }
        if (blueprint.description() != null && blueprint.description().length() > 2000) {
            errors.add(new Problem("/description", "description must be at most 2000 characters"));
        }
        checkParticipants(blueprint, errors);
        Map<Integer, Blueprint.Action> actions = new HashMap<>();
        if (blueprint.actions().isEmpty()) {
            errors.add(new Problem("/actions", "a blueprint needs at least one action"));
        }
        if (blueprint.actions().size() > MAX_ACTIONS) {
            errors.add(new Problem("/actions", "a blueprint has at most " + MAX_ACTIONS + " actions"));
        }
        for (Blueprint.Action action : blueprint.actions()) {
            if (action.id() >= 0 && actions.putIfAbsent(action.id(), action) != null) {
                errors.add(new Problem(action.pointer() + "/id", "action id " + action.id() + " appears twice"));
            }
        }
        for (Blueprint.Action action : blueprint.actions()) {
            checkAction(blueprint, action, actions, errors, warnings);
        }
        if (!blueprint.actions().isEmpty() && blueprint.actions().stream().noneMatch(Blueprint.Action::starting)) {
            warnings.add(new Problem("/actions", "no action has isStartingAction: instances start with the first action, "
                    + blueprint.actions().get(0).id()));
        }
        checkGraph(blueprint, actions, warnings);
    }

    private static void checkParticipants(Blueprint blueprint, List<Problem> errors) {
        if (blueprint.participants().size() < 2) {
            errors.add(new Problem("/participants", "a blueprint needs at least 2 participants"));
        }
        if (blueprint.participants().size() > MAX_PARTICIPANTS) {
            errors.add(new Problem("/participants", "a blueprint has at most " + MAX_PARTICIPANTS + " participants"));
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < blueprint.participants().size(); i++) {
            Blueprint.Participant participant = blueprint.participants().get(i);
            String at = Problem.at("participants", i);
            if (participant.id().isBlank() || participant.id().length() > 64) {
                errors.add(new Problem(at + "/id", "a participant id is 1 to 64 characters"));
            } else if (!ids.add(participant.id())) {
                errors.add(new Problem(at + "/id", "participant id '" + participant.id() + "' appears twice"));
            }
            if (participant.name() != null && participant.name().length() > 100) {
                errors.add(new Problem(at + "/name", "a participant name is at most 100 characters"));
            }
            if (participant.walletAddress() != null && !LedgerAddress.isValid(participant.walletAddress())) {
                errors.add(new Problem(at + "/walletAddress", "not a Cairn wallet address"));
            }
        }
    }

    private static void checkAction(Blueprint blueprint, Blueprint.Action action, Map<Integer, Blueprint.Action> actions, List<Problem> errors,
            List<Problem> warnings) {
        String at = action.pointer();
        if (action.title().length() > 200) {
            errors.add(new Problem(at + "/title", "an action title is at most 200 characters"));
        }
        if (!action.sender().isEmpty() && blueprint.participant(action.sender()).isEmpty()) {
            errors.add(new Problem(at + "/sender", "sender '" + action.sender() + "' is not a participant"));
        }
        for (int i = 0; i < action.dataSchemas().size(); i++) {
            String problem = DataSchema.problemWith(action.dataSchemas().get(i));
            if (problem != null) {
                errors.add(new Problem(at + "/dataSchemas/" + i, "not a valid JSON Schema (draft 2020-12): " + problem));
            }
        }
        action.calculations().forEach((field, expression) -> {
            String calcAt = Problem.child(at + "/calculations", field);
            if (field.isBlank()) {
                errors.add(new Problem(calcAt, "a calculation needs an output field name"));
            }
            compile(expression, calcAt, errors);
        });
        checkRoutes(action, actions, errors, warnings);
        Blueprint.Rejection rejection = action.rejection();
        if (rejection != null) {
            if (rejection.targetActionId() >= 0 && !actions.containsKey(rejection.targetActionId())) {
                errors.add(new Problem(at + "/rejectionConfig/targetActionId", "rejection target action " + rejection.targetActionId()
                        + " does not exist"));
            }
            if (rejection.targetParticipantId() != null && blueprint.participant(rejection.targetParticipantId()).isEmpty()) {
                warnings.add(new Problem(at + "/rejectionConfig/targetParticipantId", "'" + rejection.targetParticipantId()
                        + "' is not a participant: the target action's sender is told instead"));
            }
            if (rejection.rejectionSchema() != null) {
                String problem = DataSchema.problemWith(rejection.rejectionSchema());
                if (problem != null) {
                    errors.add(new Problem(at + "/rejectionConfig/rejectionSchema", "not a valid JSON Schema (draft 2020-12): " + problem));
                }
            }
        }
        for (int i = 0; i < action.disclosures().size(); i++) {
            Blueprint.Disclosure disclosure = action.disclosures().get(i);
            String dAt = at + "/disclosures/" + i;
            if (blueprint.participant(disclosure.participant()).isEmpty() && !LedgerAddress.isValid(disclosure.participant())) {
                errors.add(new Problem(dAt + "/participantAddress", "'" + disclosure.participant()
                        + "' is neither a participant nor a wallet address"));
            }
            for (int j = 0; j < disclosure.pointers().size(); j++) {
                String problem = Disclosures.pointerProblem(disclosure.pointers().get(j));
                if (problem != null) {
                    errors.add(new Problem(dAt + "/dataPointers/" + j, problem));
                }
            }
        }
        for (int i = 0; i < action.requiredPriorActions().size(); i++) {
            if (!actions.containsKey(action.requiredPriorActions().get(i))) {
                errors.add(new Problem(at + "/requiredPriorActions/" + i, "action " + action.requiredPriorActions().get(i) + " does not exist"));
            }
        }
        JsonNode formSchema = action.form().path("schema");
        if (Blueprint.present(formSchema)) {
            String problem = DataSchema.problemWith(formSchema);
            if (problem != null) {
                errors.add(new Problem(at + "/form/schema", "not a valid JSON Schema (draft 2020-12): " + problem));
            }
        }
    }

    private static void checkRoutes(Blueprint.Action action, Map<Integer, Blueprint.Action> actions, List<Problem> errors,
            List<Problem> warnings) {
        Set<String> ids = new HashSet<>();
        int defaults = 0;
        for (int i = 0; i < action.routes().size(); i++) {
            Blueprint.Route route = action.routes().get(i);
            String at = action.pointer() + "/routes/" + i;
            if (route.id().isBlank() || route.id().length() > 100) {
                errors.add(new Problem(at + "/id", "a route id is 1 to 100 characters"));
            } else if (!ids.add(route.id())) {
                errors.add(new Problem(at + "/id", "route id '" + route.id() + "' appears twice in this action"));
            }
            for (int j = 0; j < route.nextActionIds().size(); j++) {
                int next = route.nextActionIds().get(j);
                if (!actions.containsKey(next)) {
                    errors.add(new Problem(at + "/nextActionIds/" + j, "route target action " + next + " does not exist"));
                }
            }
            if (new HashSet<>(route.nextActionIds()).size() != route.nextActionIds().size()) {
                errors.add(new Problem(at + "/nextActionIds", "a route names each next action once"));
            }
            if (route.condition() != null) {
                compile(route.condition(), at + "/condition", errors);
                if (route.isDefault()) {
                    warnings.add(new Problem(at + "/isDefault", "a route with a condition is never the default: only an unconditional one is"));
                }
            } else if (route.isDefault()) {
                defaults++;
            } else {
                warnings.add(new Problem(at, "an unconditional route that is not isDefault is never taken"));
            }
            if (route.branchDeadline() != null && route.nextActionIds().size() < 2) {
                warnings.add(new Problem(at + "/branchDeadline", "branchDeadline applies only to a route that starts parallel branches"));
            }
        }
        if (defaults > 1) {
            errors.add(new Problem(action.pointer() + "/routes", "an action has at most one default route"));
        }
    }

    private static void compile(JsonNode expression, String at, List<Problem> errors) {
        try {
            Logic.compile(expression);
        } catch (Logic.LogicException e) {
            errors.add(new Problem(at, "not a JSON Logic expression Cairn evaluates: " + e.getMessage()));
        }
    }

    /** Unreachable actions and cycles, over route and rejection edges. */
    private static void checkGraph(Blueprint blueprint, Map<Integer, Blueprint.Action> actions, List<Problem> warnings) {
        Map<Integer, Set<Integer>> edges = edges(blueprint);
        Set<Integer> reached = new HashSet<>();
        Deque<Integer> queue = new ArrayDeque<>();
        blueprint.startingActions().forEach(a -> queue.add(a.id()));
        while (!queue.isEmpty()) {
            int id = queue.poll();
            if (reached.add(id)) {
                queue.addAll(edges.getOrDefault(id, Set.of()));
            }
        }
        for (Blueprint.Action action : blueprint.actions()) {
            if (action.id() >= 0 && !reached.contains(action.id())) {
                warnings.add(new Problem(action.pointer(), "action " + action.id() + " cannot be reached from a starting action"));
            }
        }
        Map<Integer, Integer> colour = new HashMap<>(); // 1 on the path, 2 done
        for (Blueprint.Action action : blueprint.actions()) {
            cycles(action.id(), edges, colour, actions, warnings);
        }
    }

    private static void cycles(int id, Map<Integer, Set<Integer>> edges, Map<Integer, Integer> colour, Map<Integer, Blueprint.Action> actions,
            List<Problem> warnings) {
        if (colour.containsKey(id)) {
            return;
        }
        colour.put(id, 1);
        for (int next : edges.getOrDefault(id, Set.of())) {
            Integer state = colour.get(next);
            if (state != null && state == 1) {
                warnings.add(new Problem(actions.get(id).pointer(), "cycle: action " + id + " leads back to action " + next));
            } else if (state == null) {
                cycles(next, edges, colour, actions, warnings);
            }
        }
        colour.put(id, 2);
    }

    /** Every action each action can lead to, by a route or a rejection. */
    static Map<Integer, Set<Integer>> edges(Blueprint blueprint) {
        Map<Integer, Set<Integer>> edges = new HashMap<>();
        for (Blueprint.Action action : blueprint.actions()) {
            Set<Integer> next = new LinkedHashSet<>();
            action.routes().forEach(r -> next.addAll(r.nextActionIds()));
            if (action.rejection() != null && !action.rejection().terminal()) {
                next.add(action.rejection().targetActionId());
            }
            edges.put(action.id(), next);
        }
        return edges;
    }

    // ---- the reference's template wrapper ----

    /** A document after unwrapping: the blueprint, and the JSON-e expressions that stopped it from being used as it is. */
    public record Unwrapped(JsonNode blueprint, boolean wasTemplate, List<Problem> jsonE) {
    }

    private static final Set<String> JSON_E_OPERATORS = Set.of("$eval", "$json", "$if", "$flatten", "$flattenDeep", "$fromNow", "$let",
            "$map", "$reduce", "$find", "$match", "$switch", "$merge", "$mergeDeep", "$sort", "$reverse");

    /**
     * The blueprint of a document: the document itself, or the {@code template} member of the
     * reference's template wrapper. A template is used only when it holds no JSON-e expression
     * (an operator object such as {@code {"$eval": ...}}, or a string with {@code ${...}}), since
     * Cairn does not evaluate JSON-e.
     */
    public static Unwrapped unwrap(JsonNode document) {
        if (!document.isObject() || !document.path("template").isObject() || document.has("actions") || document.has("participants")) {
            return new Unwrapped(document, false, List.of());
        }
        List<Problem> found = new ArrayList<>();
        findJsonE(document.path("template"), "/template", found);
        return new Unwrapped(document.path("template"), true, List.copyOf(found));
    }

    private static void findJsonE(JsonNode node, String at, List<Problem> found) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> member : node.properties()) {
                String memberAt = Problem.child(at, member.getKey());
                if (JSON_E_OPERATORS.contains(member.getKey())) {
                    found.add(new Problem(memberAt, "JSON-e operator " + member.getKey()));
                }
                findJsonE(member.getValue(), memberAt, found);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                findJsonE(node.get(i), Problem.child(at, i), found);
            }
        } else if (node.isString() && node.stringValue().contains("${")) {
            found.add(new Problem(at, "JSON-e interpolation in a string"));
        }
    }
}
