package dev.cairn.platform.ledger;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DataSchemaTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void dataIsCheckedAgainstTheSchemaWithEveryReason() {
        DataSchema schema = DataSchema.of(json("{\"type\":\"object\",\"required\":[\"item\",\"quantity\"],\"properties\":{"
                + "\"item\":{\"type\":\"string\",\"minLength\":1},\"quantity\":{\"type\":\"integer\",\"minimum\":1}},"
                + "\"additionalProperties\":false}"));
        assertThat(schema.problems(json("{\"item\":\"spade\",\"quantity\":2}"))).isEmpty();
        assertThat(schema.problems(json("{\"item\":\"\",\"quantity\":0,\"colour\":\"red\"}"))).hasSize(3)
                .anySatisfy(p -> assertThat(p).contains("item"))
                .anySatisfy(p -> assertThat(p).contains("quantity"))
                .anySatisfy(p -> assertThat(p).contains("colour"));
        assertThat(schema.problems(json("[1,2]"))).isNotEmpty();
    }

    @Test
    void aSchemaThatIsNotValidDraft202012IsRefused() {
        assertThat(DataSchema.problemWith(json("{\"type\":\"object\"}"))).isNull();
        assertThat(DataSchema.problemWith(json("true"))).isNull();
        assertThat(DataSchema.problemWith(json("{\"type\":\"whole number\"}"))).isNotNull();
        assertThat(DataSchema.problemWith(json("{\"minimum\":\"one\"}"))).isNotNull();
        assertThat(DataSchema.problemWith(json("{\"required\":\"item\"}"))).isNotNull();
        assertThat(DataSchema.problemWith(json("42"))).isNotNull();
        assertThatThrownBy(() -> DataSchema.of(json("{\"type\":7}"))).isInstanceOf(IllegalArgumentException.class);
    }

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }
}
