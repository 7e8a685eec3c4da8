package dev.cairn.wallet.api;

import dev.cairn.testsupport.Problems;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.cairn.testsupport.JwksServer;
import dev.cairn.testsupport.TestStores;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** One wallet service on real PostgreSQL and Redis, verifying tokens through a real JWKS. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class WalletApiSupport {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final JwksServer JWKS = new JwksServer();
    static final String ORG_A = UUID.randomUUID().toString();
    static final String ORG_B = UUID.randomUUID().toString();

    @DynamicPropertySource
    static void stores(DynamicPropertyRegistry registry) {
        TestStores.register(registry, "cairn_wallet_api");
        registry.add("cairn.auth.jwks-uris", JWKS::uri);
        registry.add("cairn.wallet.keys.local.key", () -> TestStores.KEY_ENCRYPTION_KEY);
    }

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static String user(String org) {
        return JWKS.userToken("user-" + UUID.randomUUID(), org);
    }

    HttpResponse<String> post(String path, String token, Object body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body instanceof String text ? text : JSON.writeValueAsString(body))).build());
    }

    HttpResponse<String> get(String path, String token) {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token).GET().build());
    }

    HttpResponse<String> delete(String path, String token) {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token).DELETE().build());
    }

    HttpResponse<String> patch(String path, String token, Object body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
    }

    /** Creates a wallet and returns the response body. */
    JsonNode create(String token, String algorithm) {
        HttpResponse<String> response = post("/api/wallets", token, Map.of("name", "test " + algorithm, "algorithm", algorithm));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json(response);
    }

    HttpResponse<String> sign(String token, String address, byte[] data) {
        return post("/api/wallets/" + address + "/sign", token, Map.of("data", b64(data)));
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    static void assertProblem(HttpResponse<String> response, int status) {
        Problems.assertProblem(response, status);
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
