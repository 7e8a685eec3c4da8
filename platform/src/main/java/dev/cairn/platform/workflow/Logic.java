package dev.cairn.platform.workflow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.jamsesso.jsonlogic.JsonLogic;
import io.github.jamsesso.jsonlogic.ast.JsonLogicArray;
import io.github.jamsesso.jsonlogic.ast.JsonLogicNode;
import io.github.jamsesso.jsonlogic.ast.JsonLogicOperation;
import io.github.jamsesso.jsonlogic.ast.JsonLogicParseException;
import io.github.jamsesso.jsonlogic.ast.JsonLogicParser;
import io.github.jamsesso.jsonlogic.ast.JsonLogicVariable;
import io.github.jamsesso.jsonlogic.evaluator.JsonLogicEvaluationException;
import io.github.jamsesso.jsonlogic.evaluator.JsonLogicEvaluator;
import io.github.jamsesso.jsonlogic.evaluator.expressions.AllExpression;
import io.github.jamsesso.jsonlogic.evaluator.expressions.ArrayHasExpression;
import io.github.jamsesso.jsonlogic.evaluator.expressions.ConcatenateExpression;
import io.github.jamsesso.jsonlogic.evaluator.expressions.EqualityExpression;
import io.github.jamsesso.jsonlogic.evaluator.expressions.FilterExpression;
import io.github.jamsesso.jsonlogic.evaluator.expressions.IfExpression;
import io.github.jamsesso.jsonlogic.evaluator.expressions.InExpression;
import io.github.jamsesso.jsonlogic.evaluator.expressions.InequalityExpression;
import io.github.jamsesso.jsonlogic.evaluator.expressions.LogicExpression;
import io.github.jamsesso.jsonlogic.evaluator.expressions.MapExpression;
import io.github.jamsesso.jsonlogic.evaluator.expressions.MathExpression;
import io.github.jamsesso.jsonlogic.evaluator.expressions.MergeExpression;
import io.github.jamsesso.jsonlogic.evaluator.expressions.MissingExpression;
import io.github.jamsesso.jsonlogic.evaluator.expressions.NotExpression;
import io.github.jamsesso.jsonlogic.evaluator.expressions.NumericComparisonExpression;
import io.github.jamsesso.jsonlogic.evaluator.expressions.ReduceExpression;
import io.github.jamsesso.jsonlogic.evaluator.expressions.StrictEqualityExpression;
import io.github.jamsesso.jsonlogic.evaluator.expressions.StrictInequalityExpression;
import io.github.jamsesso.jsonlogic.evaluator.expressions.SubstringExpression;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A JSON Logic expression (jsonlogic.com), compiled once and evaluated against JSON data. The
 * blueprint service and the validator evaluate the same expressions with this same code, so
 * both arrive at the same calculated values and the same route.
 *
 * <p>Numbers are IEEE doubles, as in JSON Logic's reference implementation; a whole result within
 * ±2^53 is written as an integer, so that {@code 2 * 3} gives {@code 6}, not {@code 6.0}. A result
 * that is not a finite number fails the evaluation. The {@code log} operation is not available,
 * and an expression is at most {@value #MAX_DEPTH} levels deep and {@value #MAX_NODES} nodes large.
 */
public final class Logic {

    public static final int MAX_DEPTH = 32;
    public static final int MAX_NODES = 2000;
    private static final double MAX_EXACT = 9007199254740992d; // 2^53
    private static final JsonLogicEvaluator EVALUATOR = new JsonLogicEvaluator(List.of(MathExpression.ADD, MathExpression.SUBTRACT,
            MathExpression.MULTIPLY, MathExpression.DIVIDE, MathExpression.MODULO, MathExpression.MIN, MathExpression.MAX,
            NumericComparisonExpression.GT, NumericComparisonExpression.GTE, NumericComparisonExpression.LT, NumericComparisonExpression.LTE,
            IfExpression.IF, IfExpression.TERNARY, EqualityExpression.INSTANCE, InequalityExpression.INSTANCE, StrictEqualityExpression.INSTANCE,
            StrictInequalityExpression.INSTANCE, NotExpression.SINGLE, NotExpression.DOUBLE, LogicExpression.AND, LogicExpression.OR,
            MapExpression.INSTANCE, FilterExpression.INSTANCE, ReduceExpression.INSTANCE, AllExpression.INSTANCE, ArrayHasExpression.SOME,
            ArrayHasExpression.NONE, MergeExpression.INSTANCE, InExpression.INSTANCE, ConcatenateExpression.INSTANCE,
            SubstringExpression.INSTANCE, MissingExpression.ALL, MissingExpression.SOME));
    /** The operations {@link #EVALUATOR} knows, plus {@code var} (handled by the evaluator itself). */
    public static final Set<String> OPERATIONS = Set.of("+", "-", "*", "/", "%", "min", "max", ">", ">=", "<", "<=", "if", "?:", "==", "!=",
            "===", "!==", "!", "!!", "and", "or", "map", "filter", "reduce", "all", "some", "none", "merge", "in", "cat", "substr", "missing",
            "missing_some", "var");

    /** An expression that cannot be compiled or evaluated. */
    public static final class LogicException extends IllegalArgumentException {
        LogicException(String message) {
            super(message);
        }
    }

    private final JsonLogicNode expression;

    private Logic(JsonLogicNode expression) {
        this.expression = expression;
    }

    /** @throws LogicException when the JSON is not an expression Cairn evaluates */
    public static Logic compile(JsonNode json) {
        int[] nodes = {0};
        checkSize(json, 1, nodes);
        JsonLogicNode parsed;
        try {
            parsed = JsonLogicParser.parse(json.toString());
        } catch (JsonLogicParseException | RuntimeException e) {
            throw new LogicException("not a JSON Logic expression: " + e.getMessage());
        }
        checkOperations(parsed);
        return new Logic(parsed);
    }

    /** The expression's value for this data. @throws LogicException when it cannot be evaluated */
    public JsonNode evaluate(JsonNode data) {
        Object result;
        try {
            result = EVALUATOR.evaluate(expression, plain(data), "$");
        } catch (JsonLogicEvaluationException | RuntimeException e) {
            throw new LogicException(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        return json(result);
    }

    /** Whether the expression's value for this data is truthy (JSON Logic's rules: not null, false, 0, "" or []). */
    public boolean test(JsonNode data) {
        Object result;
        try {
            result = EVALUATOR.evaluate(expression, plain(data), "$");
        } catch (JsonLogicEvaluationException | RuntimeException e) {
            throw new LogicException(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        return JsonLogic.truthy(result);
    }

    private static void checkSize(JsonNode json, int depth, int[] nodes) {
        if (depth > MAX_DEPTH) {
            throw new LogicException("the expression is nested more than " + MAX_DEPTH + " levels deep");
        }
        if (++nodes[0] > MAX_NODES) {
            throw new LogicException("the expression has more than " + MAX_NODES + " parts");
        }
        for (JsonNode child : json.values()) {
            checkSize(child, depth + 1, nodes);
        }
    }

    private static void checkOperations(JsonLogicNode node) {
        if (node instanceof JsonLogicOperation operation) {
            if (!OPERATIONS.contains(operation.getOperator())) {
                throw new LogicException("unknown operation '" + operation.getOperator() + "'");
            }
            checkOperations(operation.getArguments());
        } else if (node instanceof JsonLogicArray array) {
            for (JsonLogicNode element : array) {
                checkOperations(element);
            }
        } else if (node instanceof JsonLogicVariable variable) {
            checkOperations(variable.getKey());
            checkOperations(variable.getDefaultValue());
        }
    }

    /** JSON as the evaluator takes it: maps, lists, doubles, strings, booleans and null. */
    static Object plain(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.properties().forEach(e -> map.put(e.getKey(), plain(e.getValue())));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.values().forEach(v -> list.add(plain(v)));
            return list;
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.asString();
    }

    static JsonNode json(Object value) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (value == null) {
            return nodes.nullNode();
        }
        if (value instanceof Number number) {
            double d = number.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new LogicException("the result is not a finite number");
            }
            if (d == Math.rint(d) && Math.abs(d) <= MAX_EXACT) {
                return nodes.numberNode((long) d);
            }
            return nodes.numberNode(d);
        }
        if (value instanceof Boolean b) {
            return nodes.booleanNode(b);
        }
        if (value instanceof String s) {
            return nodes.stringNode(s);
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = nodes.objectNode();
            map.forEach((k, v) -> object.set(String.valueOf(k), json(v)));
            return object;
        }
        if (value instanceof Iterable<?> iterable) {
            ArrayNode array = nodes.arrayNode();
            iterable.forEach(v -> array.add(json(v)));
            return array;
        }
        if (value.getClass().isArray() && value instanceof Object[] objects) {
            ArrayNode array = nodes.arrayNode();
            for (Object o : objects) {
                array.add(json(o));
            }
            return array;
        }
        return nodes.stringNode(String.valueOf(value));
    }
}
