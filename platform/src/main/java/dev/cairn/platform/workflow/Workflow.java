package dev.cairn.platform.workflow;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;

import dev.cairn.platform.ledger.DataSchema;

/**
 * A published blueprint ready to run: its model with every expression and schema compiled, and
 * which actions each action can lead to. Built once per blueprint version and shared; it holds
 * no instance state.
 */
public final class Workflow {

    /** An action with what running it needs, compiled. */
    public record CompiledAction(Blueprint.Action action, List<DataSchema> schemas, Map<String, Logic> calculations, List<Logic> conditions,
            DataSchema rejectionSchema) {
    }

    private final Blueprint blueprint;
    private final Map<Integer, CompiledAction> actions = new LinkedHashMap<>();
    private final Map<Integer, Set<Integer>> reachable = new HashMap<>();

    private Workflow(Blueprint blueprint) {
        this.blueprint = blueprint;
        for (Blueprint.Action action : blueprint.actions()) {
            Map<String, Logic> calculations = new LinkedHashMap<>();
            action.calculations().forEach((field, expression) -> calculations.put(field, Logic.compile(expression)));
            List<Logic> conditions = action.routes().stream().map(r -> r.condition() == null ? null : Logic.compile(r.condition())).toList();
            DataSchema rejectionSchema = action.rejection() != null && action.rejection().rejectionSchema() != null
                    ? DataSchema.of(action.rejection().rejectionSchema()) : null;
            actions.put(action.id(), new CompiledAction(action, action.dataSchemas().stream().map(DataSchema::of).toList(),
                    java.util.Collections.unmodifiableMap(calculations), java.util.Collections.unmodifiableList(new java.util.ArrayList<>(conditions)),
                    rejectionSchema));
        }
        Map<Integer, Set<Integer>> edges = BlueprintRules.edges(blueprint);
        for (Integer from : edges.keySet()) {
            Set<Integer> seen = new HashSet<>();
            Deque<Integer> queue = new ArrayDeque<>(List.of(from));
            while (!queue.isEmpty()) {
                int id = queue.poll();
                if (seen.add(id)) {
                    queue.addAll(edges.getOrDefault(id, Set.of()));
                }
            }
            reachable.put(from, Set.copyOf(seen));
        }
    }

    /**
     * Compiles a valid blueprint document.
     *
     * @throws IllegalArgumentException when {@link BlueprintRules} finds an error in it
     */
    public static Workflow of(JsonNode document) {
        BlueprintRules.Report report = BlueprintRules.check(document);
        if (!report.valid()) {
            Problem first = report.errors().get(0);
            throw new IllegalArgumentException("not a valid blueprint: " + first.pointer() + ": " + first.message());
        }
        return new Workflow(Blueprint.parse(document).blueprint());
    }

    public Blueprint blueprint() {
        return blueprint;
    }

    public CompiledAction action(int id) {
        CompiledAction action = actions.get(id);
        if (action == null) {
            throw new IllegalArgumentException("no action " + id);
        }
        return action;
    }

    public boolean hasAction(int id) {
        return actions.containsKey(id);
    }

    /** Whether an instance at action {@code from} can still come to action {@code to} (itself included). */
    public boolean canReach(int from, int to) {
        return reachable.getOrDefault(from, Set.of()).contains(to);
    }
}
