package dev.cairn.platform.problem;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemJsonTest {

    @Test
    void rendersAnRfc9457Document() {
        assertThat(ProblemJson.render(HttpStatus.NOT_FOUND, "no-thing", "Not found", "Thing 1 was not found", Map.of("size", 3)))
                .isEqualTo("{\"type\":\"https://cairn.dev/problems/no-thing\",\"title\":\"Not found\",\"status\":404,"
                        + "\"detail\":\"Thing 1 was not found\",\"size\":3}");
        assertThat(ProblemJson.render(HttpStatus.SERVICE_UNAVAILABLE, "down"))
                .isEqualTo("{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,\"detail\":\"down\"}");
    }

    @Test
    void escapesWhatWouldBreakTheJson() {
        assertThat(ProblemJson.escape("a\"b\\c\nd\u0001")).isEqualTo("a\\\"b\\\\c\\nd\\u0001");
    }
}
