package dev.cairn.blueprint.catalog;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.cairn.blueprint.BlueprintServiceApplication;
import dev.cairn.testsupport.JwksServer;
import dev.cairn.testsupport.LedgerFixture;
import dev.cairn.testsupport.ReplicaHttp;
import dev.cairn.testsupport.TestStores;
import dev.cairn.testsupport.EmbeddedMongo;

import static dev.cairn.testsupport.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** Drafting, checking and publishing blueprints in the reference's model, on two replicas sharing one MongoDB. */
class BlueprintApiIT {

    private static final JwksServer JWKS = new JwksServer();
    private static final String ORG = UUID.randomUUID().toString();
    private static EmbeddedMongo mongo;
    private static ConfigurableApplicationContext first;
    private static ConfigurableApplicationContext second;

    private final String admin = JWKS.userToken("admin-" + UUID.randomUUID(), ORG, "Administrator");

    @BeforeAll
    static void start() {
        mongo = new EmbeddedMongo();
        String uri = mongo.uri();
        first = replica(uri);
        second = replica(uri);
    }

    private static ConfigurableApplicationContext replica(String mongoUri) {
        return new SpringApplicationBuilder(BlueprintServiceApplication.class).run("--server.port=0", "--spring.mongodb.uri=" + mongoUri + "/cairn",
                "--spring.data.redis.url=" + TestStores.endpoints().redisUri(), "--cairn.auth.jwks-uris=" + JWKS.uri());
    }

    @AfterAll
    static void stop() {
        first.close();
        second.close();
        mongo.close();
        JWKS.close();
    }

    private static String sample(String name) throws Exception {
        return Files.readString(Path.of("..", "samples", "blueprints", name + ".json"));
    }

    @Test
    void eachPublicationIsAnImmutableVersionThatTheValidatorsCanRead() throws Exception {
        String permit = sample("permit");
        HttpResponse<String> created = call(first, "POST", "/api/blueprints", admin, permit);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode draft = json(created);
        String id = draft.path("id").asString();
        assertThat(draft.path("status").asString()).isEqualTo("DRAFT");
        assertThat(draft.path("validation").path("valid").asBoolean()).isTrue();
        assertThat(draft.path("validation").path("warnings").get(0).path("message").asString()).startsWith("cycle");
        assertThat(draft.path("blueprint").path("actions").get(1).path("rejectionConfig").path("targetActionId").asInt()).isZero();

        HttpResponse<String> v1 = call(second, "POST", "/api/blueprints/" + id + "/publish", admin, null);
        assertThat(v1.statusCode()).as(v1.body()).isEqualTo(201);
        assertThat(json(v1).path("version").asInt()).isEqualTo(1);
        HttpResponse<String> unchanged = call(first, "POST", "/api/blueprints/" + id + "/publish", admin, null);
        assertThat(unchanged.statusCode()).as("publishing an unchanged draft answers its version").isEqualTo(200);
        assertThat(json(unchanged).path("version").asInt()).isEqualTo(1);

        String changed = permit.replace("\"maximum\": 50", "\"maximum\": 20");
        assertThat(changed).isNotEqualTo(permit);
        assertThat(call(second, "PUT", "/api/blueprints/" + id, admin, changed).statusCode()).isEqualTo(200);
        assertThat(json(call(first, "POST", "/api/blueprints/" + id + "/publish", admin, null)).path("version").asInt()).isEqualTo(2);

        String validator = JWKS.serviceToken("validator-service", null, "blueprint:read register:read");
        JsonNode one = json(call(second, "GET", "/api/blueprints/" + id + "/versions/1", validator, null));
        JsonNode two = json(call(first, "GET", "/api/blueprints/" + id + "/versions/2", validator, null));
        assertThat(one.path("blueprint").toString()).contains("\"maximum\":50");
        assertThat(two.path("blueprint").toString()).contains("\"maximum\":20");
        assertThat(one.path("organizationId").asString()).isEqualTo(ORG);
        assertThat(json(call(first, "GET", "/api/blueprints/" + id + "/versions", admin, null))).extracting(v -> v.path("version").asInt())
                .containsExactly(1, 2);
        assertThat(json(call(first, "GET", "/api/blueprints/" + id, admin, null)).path("latestVersion").asInt()).isEqualTo(2);
        assertThat(call(first, "GET", "/api/blueprints/" + id + "/versions/3", admin, null).statusCode()).isEqualTo(404);
        assertThat(call(first, "GET", "/api/blueprints/" + id + "/versions/zero", admin, null).statusCode()).isEqualTo(400);

        String stranger = JWKS.userToken("stranger-" + UUID.randomUUID(), UUID.randomUUID().toString(), "Administrator");
        assertThat(call(first, "GET", "/api/blueprints/" + id, stranger, null).statusCode()).isEqualTo(404);
        assertThat(call(first, "GET", "/api/blueprints/" + id + "/versions/1", stranger, null).statusCode()).isEqualTo(404);
        assertThat(call(first, "POST", "/api/blueprints/" + id + "/publish", stranger, null).statusCode()).isEqualTo(404);
        String member = JWKS.userToken("member-" + UUID.randomUUID(), ORG);
        assertThat(call(first, "GET", "/api/blueprints/" + id, member, null).statusCode()).isEqualTo(200);
        assertThat(call(first, "POST", "/api/blueprints", member, permit).statusCode()).isEqualTo(403);
    }

    @Test
    void replicasPublishingAtOnceWriteOneVersion() throws Exception {
        String id = json(call(first, "POST", "/api/blueprints", admin, sample("purchase-order"))).path("id").asString();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                ConfigurableApplicationContext replica = i % 2 == 0 ? first : second;
                answers.add(pool.submit(() -> call(replica, "POST", "/api/blueprints/" + id + "/publish", admin, null)));
            }
            for (Future<HttpResponse<String>> answer : answers) {
                assertThat(json(answer.get()).path("version").asInt()).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(json(call(second, "GET", "/api/blueprints/" + id + "/versions", admin, null))).hasSize(1);
    }

    @Test
    void validateListsEveryProblemAtItsPointerAndPublishingRefusesThem() {
        String otherAdmin = JWKS.userToken("admin-" + UUID.randomUUID(), UUID.randomUUID().toString(), "Administrator");
        String broken = "{\"title\":\"Broken\",\"participants\":[{\"id\":\"a\"},{\"id\":\"b\"}],\"actions\":[{\"id\":0,\"sender\":\"c\","
                + "\"isStartingAction\":true,\"dataSchemas\":[{\"type\":\"whole number\"}],\"routes\":[{\"id\":\"r\",\"nextActionIds\":[3],"
                + "\"condition\":{\"nope\":[1]}}],\"target\":\"b\"}]}";
        HttpResponse<String> created = call(first, "POST", "/api/blueprints", otherAdmin, broken);
        assertThat(created.statusCode()).as("a draft may be saved with problems").isEqualTo(201);
        String id = json(created).path("id").asString();
        JsonNode report = json(call(second, "POST", "/api/blueprints/" + id + "/validate", otherAdmin, null));
        assertThat(report.path("valid").asBoolean()).isFalse();
        assertThat(report.path("errors")).extracting(e -> e.path("pointer").asString()).containsExactlyInAnyOrder("/actions/0/sender",
                "/actions/0/dataSchemas/0", "/actions/0/routes/0/nextActionIds/0", "/actions/0/routes/0/condition");
        assertThat(report.path("warnings")).extracting(w -> w.path("pointer").asString()).contains("/actions/0/target");
        HttpResponse<String> publish = call(first, "POST", "/api/blueprints/" + id + "/publish", otherAdmin, null);
        assertThat(publish.statusCode()).isEqualTo(400);
        assertThat(json(publish).path("type").asString()).endsWith("/invalid-blueprint");
        assertThat(json(publish).path("errors")).hasSize(4);
        assertThat(call(first, "GET", "/api/blueprints/" + id + "/versions", otherAdmin, null).body()).isEqualTo("[]");

        assertProblem(call(first, "POST", "/api/blueprints", otherAdmin, "[]"), 400, "invalid-blueprint");
        assertProblem(call(first, "POST", "/api/blueprints", otherAdmin, "{\"title\":\"x\"}"), 400, "invalid-blueprint");
        assertProblem(call(first, "POST", "/api/blueprints", otherAdmin, "{\"title\": "), 400, "malformed-request");
        assertProblem(call(first, "POST", "/api/blueprints", otherAdmin, "{\"title\":\"Wrapped\",\"template\":{\"title\":\"${name}\"}}"), 400,
                "json-e-template");
        assertThat(call(first, "GET", "/api/blueprints/not-an-id", otherAdmin, null).statusCode()).isEqualTo(400);
        assertThat(json(call(second, "GET", "/api/blueprints", otherAdmin, null))).as("only the one draft was stored").hasSize(1);

        JsonNode wrapped = json(call(first, "POST", "/api/blueprints/validate", otherAdmin,
                "{\"title\":\"Wrapped\",\"template\":{\"title\":\"Two steps\",\"participants\":[{\"id\":\"a\"},{\"id\":\"b\"}],"
                        + "\"actions\":[{\"id\":0,\"sender\":\"a\",\"isStartingAction\":true}]}}"));
        assertThat(wrapped.path("valid").asBoolean()).as(wrapped.toString()).isTrue();
    }

    private static JsonNode json(HttpResponse<String> response) {
        return LedgerFixture.JSON.readTree(response.body());
    }

    private static HttpResponse<String> call(ConfigurableApplicationContext replica, String method, String path, String token, String body) {
        return ReplicaHttp.call(replica, method, path, token, body);
    }
}
