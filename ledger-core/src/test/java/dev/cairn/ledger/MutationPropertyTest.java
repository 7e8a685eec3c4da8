package dev.cairn.ledger;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The property that makes a register trustworthy: any single change to any stored docket or
 * transaction (a field's value, a removed or added field, a byte, the order of transactions or
 * dockets, a line removed or repeated) is detected, and located at the height it was made in.
 * 10,000 random mutations of a chain holding every kind of record (genesis, actions, a key
 * change, a signed head), each from a seed derived from its number, so that a failure can be
 * replayed alone.
 */
class MutationPropertyTest {

    private static final int MUTATIONS = 10_000;
    private static final long SEED = 20261201L;

    /** An export line with the height of the docket it belongs to; {@code text}, when set, is the record as written instead of its canonical form. */
    private record Line(String type, JsonNode record, long height, String text) {
        Line(String type, JsonNode record, long height) {
            this(type, record, height, null);
        }
    }

    @Test
    void everySingleMutationIsDetectedAndLocatedAtItsHeight() {
        TestChain.Signer sealer = TestChain.Signer.seed(1);
        TestChain.Signer next = TestChain.Signer.seed(2);
        TestChain chain = TestChain.genesis(sealer).actions(sealer, 1, 2, 3).actions(sealer, 4);
        chain.seal(sealer, List.of(chain.keyChange(sealer, List.of(next), List.of(sealer)), chain.action(5)));
        chain.actions(next, 6, 7).actions(next, 8).actions(next, 9, 10, 11, 12);
        JsonNode head = chain.head(next, chain.blocks.size());
        List<Line> original = new ArrayList<>();
        for (int h = 0; h < chain.blocks.size(); h++) {
            original.add(new Line("docket", chain.blocks.get(h).docket(), h));
            for (ObjectNode tx : chain.blocks.get(h).transactions()) {
                original.add(new Line("transaction", tx, h));
            }
        }
        assertThat(verify(original, head).ok()).isTrue();

        // each mutation from its own seed, so that any one can be replayed alone; spread over the cores
        java.util.concurrent.atomic.AtomicIntegerArray kinds = new java.util.concurrent.atomic.AtomicIntegerArray(8);
        java.util.stream.IntStream.range(0, MUTATIONS).parallel().forEach(i -> {
            Random random = new Random(new java.util.SplittableRandom(SEED + i).nextLong());
            while (true) {
                List<Line> lines = new ArrayList<>();
                original.forEach(l -> lines.add(new Line(l.type(), l.record().deepCopy(), l.height())));
                int kind = random.nextInt(kinds.length());
                long at = mutate(kind, lines, random);
                if (at < 0) {
                    continue; // this kind does not apply here (e.g. no second transaction to swap with); draw again
                }
                kinds.incrementAndGet(kind);
                ChainCheck.Result result = verify(lines, head);
                assertThat(result.ok()).as("mutation %d (kind %d) went unnoticed", i, kind).isFalse();
                assertThat(result.height()).as("mutation %d (kind %d): %s", i, kind, result.reason()).isEqualTo(at);
                return;
            }
        });
        for (int kind = 0; kind < kinds.length(); kind++) {
            assertThat(kinds.get(kind)).as("every kind of mutation was made").isGreaterThan(500);
        }
    }

    /** Applies one mutation; answers the height it was made at, or -1 when it cannot be made on these lines. */
    private static long mutate(int kind, List<Line> lines, Random random) {
        int index = random.nextInt(lines.size());
        Line line = lines.get(index);
        switch (kind) {
            case 0 -> { // a value changed, at any depth
                List<JsonNode[]> slots = slots(line.record());
                JsonNode[] slot = slots.get(random.nextInt(slots.size()));
                return replace(slot[0], slot[1], other(slot[2], random)) ? line.height() : -1;
            }
            case 1 -> { // a field removed, at any depth
                List<JsonNode[]> slots = slots(line.record());
                slots.removeIf(s -> !s[0].isObject());
                if (slots.isEmpty()) {
                    return -1;
                }
                JsonNode[] slot = slots.get(random.nextInt(slots.size()));
                ((ObjectNode) slot[0]).remove(slot[1].asString());
                return line.height();
            }
            case 2 -> { // a field added to any object
                List<ObjectNode> objects = new ArrayList<>();
                collectObjects(line.record(), objects);
                objects.get(random.nextInt(objects.size())).put("extra" + random.nextInt(100), random.nextInt());
                return line.height();
            }
            case 3 -> { // a byte of the record's canonical text changed
                String text = CanonicalJson.string(line.record());
                int at = random.nextInt(text.length());
                char replacement = (char) (' ' + random.nextInt(95));
                if (replacement == text.charAt(at)) {
                    return -1;
                }
                // any other byte, even one that spells the same record another way, must be found: records are stored canonical
                String mutated = text.substring(0, at) + replacement + text.substring(at + 1);
                lines.set(index, new Line(line.type(), line.record(), line.height(), mutated));
                return line.height();
            }
            case 4 -> { // two transactions of one docket swapped
                List<Integer> same = new ArrayList<>();
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).type().equals("transaction") && lines.get(i).height() == line.height()) {
                        same.add(i);
                    }
                }
                if (same.size() < 2) {
                    return -1;
                }
                Collections.shuffle(same, random);
                Collections.swap(lines, same.get(0), same.get(1));
                return line.height();
            }
            case 5 -> { // a docket, with its transactions, swapped with the next
                long h = line.height();
                List<Line> first = lines.stream().filter(l -> l.height() == h).toList();
                List<Line> second = lines.stream().filter(l -> l.height() == h + 1).toList();
                if (second.isEmpty()) {
                    return -1;
                }
                int start = lines.indexOf(first.get(0));
                List<Line> swapped = new ArrayList<>(second);
                swapped.addAll(first);
                for (int i = 0; i < swapped.size(); i++) {
                    lines.set(start + i, swapped.get(i));
                }
                return h;
            }
            case 6 -> { // a line removed
                lines.remove(index);
                return line.height();
            }
            default -> { // a line repeated
                lines.add(index + 1, line);
                return line.height();
            }
        }
    }

    /** Every (container, key or index, value) in the record. */
    private static List<JsonNode[]> slots(JsonNode record) {
        List<JsonNode[]> slots = new ArrayList<>();
        collect(record, slots);
        return slots;
    }

    private static void collect(JsonNode node, List<JsonNode[]> slots) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (node.isObject()) {
            for (String name : node.propertyNames()) {
                slots.add(new JsonNode[] {node, f.textNode(name), node.get(name)});
                collect(node.get(name), slots);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                slots.add(new JsonNode[] {node, f.numberNode(i), node.get(i)});
                collect(node.get(i), slots);
            }
        }
    }

    private static void collectObjects(JsonNode node, List<ObjectNode> out) {
        if (node.isObject()) {
            out.add((ObjectNode) node);
        }
        node.values().forEach(v -> collectObjects(v, out));
    }

    private static boolean replace(JsonNode container, JsonNode key, JsonNode value) {
        if (container.isObject()) {
            ((ObjectNode) container).set(key.asString(), value);
        } else {
            ((ArrayNode) container).set(key.asInt(), value);
        }
        return true;
    }

    /** A value that differs from {@code value} in canonical form. */
    private static JsonNode other(JsonNode value, Random random) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (value.isString()) {
            String s = value.asString();
            if (s.isEmpty()) {
                return f.textNode("x");
            }
            int at = random.nextInt(s.length());
            char c = s.charAt(at);
            return f.textNode(s.substring(0, at) + (char) (c == 'z' ? 'a' : c + 1) + s.substring(at + 1));
        }
        if (value.isIntegralNumber()) {
            return f.numberNode(value.asLong() + 1 + random.nextInt(3));
        }
        if (value.isBoolean()) {
            return f.booleanNode(!value.asBoolean());
        }
        if (value.isNull()) {
            return f.textNode("null");
        }
        return random.nextBoolean() ? f.nullNode() : f.textNode(value.isArray() ? "[]" : "{}");
    }

    private static ChainCheck.Result verify(List<Line> lines, JsonNode head) {
        List<String> text = new ArrayList<>();
        text.add("{\"type\":\"register\",\"registerId\":\"" + TestChain.REGISTER + "\"}");
        for (Line line : lines) {
            text.add(line.text() != null ? "{\"type\":\"" + line.type() + "\",\"" + line.type() + "\":" + line.text() + "}"
                    : TestChain.line(line.type(), line.record()));
        }
        text.add(TestChain.line("head", head));
        return TestChain.verify(text);
    }
}
