package dev.cairn.testsupport;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions on the problem+json answers (RFC 9457) every Cairn service gives to a refusal. */
public final class Problems {

    private Problems() {
    }

    /** The answer is a problem+json with this status, and shows nothing of the service's insides. */
    public static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).as("Content-Type")
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.body()).contains("\"status\":" + status).doesNotContain("\"trace\"").doesNotContain("Exception");
    }

    /** The same, of the given type (the last segment of its {@code type} URI). */
    public static void assertProblem(HttpResponse<String> response, int status, String type) {
        assertProblem(response, status);
        assertThat(response.body()).as("problem type").containsPattern("\"type\":\"[^\"]*/" + java.util.regex.Pattern.quote(type) + "\"");
    }
}
