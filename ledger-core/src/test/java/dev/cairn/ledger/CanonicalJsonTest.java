package dev.cairn.ledger;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class CanonicalJsonTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void theExampleOfRfc8785() {
        String input = """
                {
                  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
                  "string": "\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\"\\/",
                  "literals": [null, true, false]
                }""";
        assertThat(new String(CanonicalJson.bytes(JSON.readTree(input)), StandardCharsets.UTF_8)).isEqualTo(
                "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
                        + "\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
    }

    @Test
    void membersSortByUtf16CodeUnitsAtEveryLevel() {
        String input = "{\"\\u20ac\":1,\"\\r\":2,\"\\ud83d\\ude00\":3,\"1\":4,\"\\u0080\":5,\"\\u00f6\":6,\"b\":{\"z\":1,\"a\":[{\"y\":0,\"x\":0}]}}";
        assertThat(CanonicalJson.string(JSON.readTree(input)))
                .isEqualTo("{\"\\r\":2,\"1\":4,\"b\":{\"a\":[{\"x\":0,\"y\":0}],\"z\":1},\"\u0080\":5,\"ö\":6,\"€\":1,\"😀\":3}");
    }

    /** Every kind of character, written as UTF-8: one byte, two, three, four (a surrogate pair), and a lone surrogate as '?'. */
    @Test
    void stringsAreWrittenAsUtf8WithTheMinimalEscapes() {
        String value = "a\u0000\u001f \u007f\u0080\u07ff\u0800\uffff\ud83d\ude00\ud83d-\ude00\"\\/";
        byte[] written = CanonicalJson.bytes(JSON.getNodeFactory().stringNode(value));
        String expected = "\"a\\u0000\\u001f \u007f\u0080\u07ff\u0800\uffff\ud83d\ude00?-?\\\"\\\\/\"";
        assertThat(written).isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
        assertThat(CanonicalJson.string(JSON.getNodeFactory().stringNode(value))).isEqualTo(expected);
        StringBuilder escaped = new StringBuilder();
        CanonicalJson.escape("q\"b\\c\n\u0001", escaped);
        assertThat(escaped).hasToString("q\\\"b\\\\c\\n\\u0001");
    }

    /** A value far larger than the writer's first buffer comes out whole. */
    @Test
    void largeValuesComeOutWhole() {
        var array = JSON.createArrayNode();
        StringBuilder expected = new StringBuilder("[");
        for (int i = 0; i < 20_000; i++) {
            array.add("\u20ac" + i);
            expected.append(i > 0 ? "," : "").append("\"\u20ac").append(i).append('"');
        }
        expected.append(']');
        assertThat(new String(CanonicalJson.bytes(array), StandardCharsets.UTF_8)).isEqualTo(expected.toString());
    }

    @ParameterizedTest
    @CsvSource({
            "0, 0", "-0.0, 0", "1, 1", "-1, -1", "100, 100", "1e21, 1e+21", "1e20, 100000000000000000000",
            "123456789012345680000, 123456789012345680000", "0.1, 0.1", "0.000001, 0.000001", "0.0000001, 1e-7",
            "5e-324, 5e-324", "1.7976931348623157e308, 1.7976931348623157e+308", "9007199254740992, 9007199254740992",
            "-1.5e-9, -1.5e-9", "0.3, 0.3", "29.999999999999996, 29.999999999999996", "1.0, 1"})
    void numbersPrintAsEcmaScriptDoes(double value, String expected) {
        assertThat(CanonicalJson.number(value)).isEqualTo(expected);
    }

    /** Integers parsed from JSON text print as the doubles they are, whichever way they are held (int, long, big). */
    @ParameterizedTest
    @CsvSource({
            "0, 0", "-0, 0", "7, 7", "-42, -42", "2147483648, 2147483648", "9007199254740992, 9007199254740992",
            "-9007199254740992, -9007199254740992", "9007199254740993, 9007199254740992", "100000000000000000000, 100000000000000000000",
            "1000000000000000000000, 1e+21", "123456789012345678901234567890, 1.2345678901234568e+29"})
    void integersInJsonTextPrintAsEcmaScriptDoes(String text, String expected) {
        assertThat(CanonicalJson.string(JSON.readTree(text))).isEqualTo(expected);
    }

    @Test
    void membersLeftOutAreLeftOutAtTheTopOnly() {
        String input = "{\"signature\":{\"value\":\"x\"},\"b\":{\"signature\":1},\"a\":2}";
        assertThat(new String(CanonicalJson.bytesWithout(JSON.readTree(input), java.util.List.of("signature")), StandardCharsets.UTF_8))
                .isEqualTo("{\"a\":2,\"b\":{\"signature\":1}}");
    }
}
