package dev.cairn.platform.problem;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.cairn.testsupport.Problems.assertProblem;

/**
 * What every servlet service gets from the platform, checked over real HTTP: the instance
 * header on every response, and problem+json for every kind of client mistake and failure.
 */
@SpringBootTest(classes = ServletPlatformIT.SampleService.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.application.name=sample-service", "cairn.max-request-size=1KB",
                "spring.autoconfigure.exclude=org.springframework.boot.mongodb.autoconfigure.MongoAutoConfiguration",
                "cairn.auth.enabled=false"})
class ServletPlatformIT {

    @SpringBootApplication
    static class SampleService {

        record Thing(@NotBlank String name, @Positive int count) {
        }

        @RestController
        static class ThingController {

            @PostMapping("/things")
            Thing create(@Valid @RequestBody Thing thing) {
                return thing;
            }

            @GetMapping("/things/{id}")
            Thing find(@PathVariable long id) {
                throw ApiException.notFound("Thing " + id);
            }

            @GetMapping("/boom")
            Thing boom() {
                throw new IllegalStateException("internal detail that must not leak");
            }
        }
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everyResponseNamesTheInstanceThatAnswered() throws Exception {
        String expected = "sample-service@";
        assertThat(post("/things", "{\"name\":\"a\",\"count\":1}").headers().firstValue("X-Cairn-Instance"))
                .hasValueSatisfying(id -> assertThat(id).startsWith(expected).endsWith(":" + port));
        assertThat(get("/nowhere").headers().firstValue("X-Cairn-Instance")).hasValueSatisfying(id -> assertThat(id).startsWith(expected));
        assertThat(get("/actuator/info").body()).contains("\"instance\":{\"id\":\"sample-service@");
        assertThat(get("/actuator/info").body()).as("the commit it was built from (git.properties)").containsPattern("\"git\":\\{.*\"commit\":\\{.*\"id\":\"[0-9a-f]{7}");
    }

    @Test
    void unknownFieldsAreRejected() throws Exception {
        HttpResponse<String> response = post("/things", "{\"name\":\"a\",\"count\":1,\"admin\":true}");
        assertProblem(response, 400);
        assertThat(response.body()).contains("Unknown field 'admin'");
    }

    @Test
    void malformedJsonIsRejected() throws Exception {
        HttpResponse<String> response = post("/things", "{\"name\":");
        assertProblem(response, 400);
        assertThat(response.body()).contains("not well-formed JSON");
    }

    @Test
    void invalidFieldsAreListed() throws Exception {
        HttpResponse<String> response = post("/things", "{\"name\":\" \",\"count\":0}");
        assertProblem(response, 400);
        assertThat(response.body()).contains("\"errors\":[").contains("\"field\":\"name\"").contains("\"field\":\"count\"");
    }

    @Test
    void wrongTypeOfValueIsRejected() throws Exception {
        HttpResponse<String> response = post("/things", "{\"name\":\"a\",\"count\":\"many\"}");
        assertProblem(response, 400);
        assertThat(response.body()).contains("field 'count'");
    }

    @Test
    void wrongContentTypeIs415() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/things"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("hello")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertProblem(response, 415);
    }

    @Test
    void oversizedBodiesAre413WhetherDeclaredOrChunked() throws Exception {
        String big = "{\"name\":\"" + "x".repeat(2000) + "\",\"count\":1}";
        assertProblem(post("/things", big), 413);
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(uri("/things"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes()))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertProblem(chunked, 413);
    }

    @Test
    void domainErrorsKeepTheirStatusAndType() throws Exception {
        HttpResponse<String> response = get("/things/42");
        assertProblem(response, 404);
        assertThat(response.body()).contains("\"type\":\"https://cairn.dev/problems/not-found\"").contains("Thing 42 was not found");
    }

    @Test
    void badPathParameterIs400() throws Exception {
        assertProblem(get("/things/not-a-number"), 400);
    }

    @Test
    void pathsTomcatRefusesItselfAreProblemsToo() throws Exception {
        // an encoded slash and an encoded NUL never reach a filter: Tomcat answers them
        assertProblem(get("/things/..%2F..%2Factuator%2Fenv"), 400);
        assertProblem(get("/things/%C3%A4%00"), 400);
    }

    @Test
    void unknownPathIs404Problem() throws Exception {
        assertProblem(get("/nowhere"), 404);
    }

    @Test
    void unexpectedErrorsShowAnErrorIdAndNothingElse() throws Exception {
        HttpResponse<String> response = get("/boom");
        assertProblem(response, 500);
        assertThat(response.body()).contains("\"errorId\":\"").doesNotContain("internal detail").doesNotContain("IllegalState");
    }

    @Test
    void openApiDocumentIsNamedAfterTheService() throws Exception {
        HttpResponse<String> response = get("/v3/api-docs");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"title\":\"Cairn sample-service\"").contains("/things").doesNotContain("\"/error\"");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
