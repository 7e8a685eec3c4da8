package dev.cairn.tenant;

import dev.cairn.testsupport.Problems;
import dev.cairn.testsupport.TestStores;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base of the tenant API tests: one tenant service on real PostgreSQL and Redis, bootstrapped
 * once; helpers to call it over HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "cairn.tenant.login.free-attempts=3",
        "cairn.tenant.login.first-lock=2s",
        "cairn.tenant.tokens.key-overlap=2s",
        "cairn.tenant.service-principals[0].client-id=validator-service",
        "cairn.tenant.service-principals[0].secret=" + TenantApiSupport.VALIDATOR_SECRET,
        "cairn.tenant.service-principals[0].scopes=wallet:sign,register:read,register:write-docket",
        "cairn.max-request-size=64KB"})
abstract class TenantApiSupport {

    static final String VALIDATOR_SECRET = "validator-secret-for-tests-0123456789";
    static final String ADMIN_EMAIL = "ada@acme.test";
    static final String ADMIN_PASSWORD = "correct horse battery staple";
    static final JsonMapper JSON = JsonMapper.builder().build();

    private static boolean bootstrapped;

    @DynamicPropertySource
    static void stores(DynamicPropertyRegistry registry) {
        TestStores.register(registry, "cairn_tenant_api");
        registry.add("cairn.tenant.key-encryption-key", () -> TestStores.KEY_ENCRYPTION_KEY);
    }

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Bootstraps the installation the first time any test asks for the administrator. */
    synchronized String adminToken() {
        if (!bootstrapped) {
            HttpResponse<String> response = post("/api/tenants/bootstrap", null, Map.of("organizationName", "Acme",
                    "adminEmail", ADMIN_EMAIL, "adminPassword", ADMIN_PASSWORD, "adminName", "Ada"));
            assertThat(response.statusCode()).as(response.body()).isIn(201, 409);
            bootstrapped = true;
        }
        return login(ADMIN_EMAIL, ADMIN_PASSWORD).get("accessToken").asString();
    }

    JsonNode login(String email, String password) {
        HttpResponse<String> response = post("/api/auth/login", null, Map.of("email", email, "password", password));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    HttpResponse<String> get(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    HttpResponse<String> post(String path, String token, Object body) {
        return send("POST", path, token, "application/json", body == null ? "" : JSON.writeValueAsString(body));
    }

    HttpResponse<String> patch(String path, String token, Object body) {
        return send("PATCH", path, token, "application/json", JSON.writeValueAsString(body));
    }

    HttpResponse<String> delete(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).DELETE()
                .header("Authorization", "Bearer " + token);
        return send(request.build());
    }

    HttpResponse<String> send(String method, String path, String token, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + ": " + e.getMessage(), e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    static void assertProblem(HttpResponse<String> response, int status) {
        Problems.assertProblem(response, status);
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
