package dev.cairn.blueprint.catalog;

import java.net.http.HttpResponse;
import java.util.UUID;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
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

import static org.assertj.core.api.Assertions.assertThat;

/** Drafting, checking and publishing blueprints, on two replicas sharing one MongoDB. */
class BlueprintApiIT {

    private static final JwksServer JWKS = new JwksServer();
    private static final String ORG = UUID.randomUUID().toString();
    private static final String PAYMENT = "{\"title\":\"Payments\",\"actions\":[{\"id\":\"pay\",\"title\":\"Pay\",\"dataSchema\":"
            + "{\"type\":\"object\",\"required\":[\"amount\"],\"properties\":{\"amount\":{\"type\":\"integer\",\"minimum\":1}},"
            + "\"additionalProperties\":false}}]}";
    private static MongoServer mongo;
    private static ConfigurableApplicationContext first;
    private static ConfigurableApplicationContext second;

    private final String admin = JWKS.userToken("admin-" + UUID.randomUUID(), ORG, "Administrator");

    @BeforeAll
    static void start() {
        mongo = new MongoServer(new MemoryBackend());
        String uri = mongo.bindAndGetConnectionString();
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
        mongo.shutdown();
        JWKS.close();
    }

    @Test
    void aPublishedBlueprintIsReadableByTheValidatorAndNeverChanges() {
        HttpResponse<String> created = call(first, "POST", "/api/blueprints", admin, PAYMENT);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode draft = json(created);
        String id = draft.path("id").asString();
        assertThat(draft.path("status").asString()).isEqualTo("DRAFT");
        assertThat(draft.path("actions").get(0).path("dataSchema").path("required").get(0).asString()).isEqualTo("amount");

        String changed = PAYMENT.replace("\"minimum\":1", "\"minimum\":5");
        assertThat(call(second, "PUT", "/api/blueprints/" + id, admin, changed).statusCode()).isEqualTo(200);
        JsonNode published = json(call(second, "POST", "/api/blueprints/" + id + "/publish", admin, null));
        assertThat(published.path("status").asString()).isEqualTo("PUBLISHED");
        assertThat(published.path("publishedAt").isString()).isTrue();
        assertThat(json(call(first, "POST", "/api/blueprints/" + id + "/publish", admin, null))).isEqualTo(published);
        HttpResponse<String> afterPublishing = call(first, "PUT", "/api/blueprints/" + id, admin, PAYMENT);
        assertThat(afterPublishing.statusCode()).isEqualTo(409);
        assertThat(afterPublishing.body()).contains("blueprint-published");

        String validator = JWKS.serviceToken("validator-service", null, "blueprint:read register:read");
        JsonNode seen = json(call(second, "GET", "/api/blueprints/" + id, validator, null));
        assertThat(seen.path("actions").get(0).path("dataSchema").path("properties").path("amount").path("minimum").asInt()).isEqualTo(5);

        String stranger = JWKS.userToken("stranger-" + UUID.randomUUID(), UUID.randomUUID().toString(), "Administrator");
        assertThat(call(first, "GET", "/api/blueprints/" + id, stranger, null).statusCode()).isEqualTo(404);
        assertThat(call(first, "POST", "/api/blueprints/" + id + "/publish", stranger, null).statusCode()).isEqualTo(404);
        String member = JWKS.userToken("member-" + UUID.randomUUID(), ORG);
        assertThat(call(first, "GET", "/api/blueprints/" + id, member, null).statusCode()).isEqualTo(200);
        assertThat(call(first, "POST", "/api/blueprints", member, PAYMENT).statusCode()).isEqualTo(403);
    }

    @Test
    void aBlueprintWithABrokenSchemaOrTwoActionsOfOneIdIsRefused() {
        String otherAdmin = JWKS.userToken("admin-" + UUID.randomUUID(), UUID.randomUUID().toString(), "Administrator");
        assertThat(json(call(first, "GET", "/api/blueprints", otherAdmin, null)).size()).isZero();
        assertProblem(call(first, "POST", "/api/blueprints", otherAdmin, PAYMENT.replace("\"type\":\"integer\"", "\"type\":\"whole number\"")),
                "invalid-data-schema");
        assertProblem(call(first, "POST", "/api/blueprints", otherAdmin, PAYMENT.replace("\"minimum\":1", "\"minimum\":\"one\"")),
                "invalid-data-schema");
        String twice = PAYMENT.replace("]}", ",{\"id\":\"pay\",\"dataSchema\":true}]}");
        assertProblem(call(first, "POST", "/api/blueprints", otherAdmin, twice), "duplicate-action");
        assertThat(call(first, "POST", "/api/blueprints", otherAdmin, "{\"title\":\"No actions\",\"actions\":[]}").statusCode())
                .isEqualTo(400);
        assertThat(call(first, "POST", "/api/blueprints", otherAdmin, PAYMENT.replace("\"id\":\"pay\"", "\"id\":\"pay now!\""))
                .statusCode()).isEqualTo(400);
        assertThat(call(first, "GET", "/api/blueprints/not-an-id", otherAdmin, null).statusCode()).isEqualTo(400);
        assertThat(json(call(second, "GET", "/api/blueprints", otherAdmin, null)).size()).as("nothing stored by refused requests").isZero();
    }

    private static void assertProblem(HttpResponse<String> response, String type) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains("/" + type);
    }

    private static JsonNode json(HttpResponse<String> response) {
        return LedgerFixture.JSON.readTree(response.body());
    }

    private static HttpResponse<String> call(ConfigurableApplicationContext replica, String method, String path, String token, String body) {
        return ReplicaHttp.call(replica, method, path, token, body);
    }
}
