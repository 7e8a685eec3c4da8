package dev.cairn.tenant;

import dev.cairn.testsupport.TestStores;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** Bootstrap works once, even when several requests race for it; afterwards it is 409. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BootstrapIT {

    @DynamicPropertySource
    static void stores(DynamicPropertyRegistry registry) {
        TestStores.register(registry, "cairn_tenant_bootstrap");
        registry.add("cairn.tenant.key-encryption-key", () -> TestStores.KEY_ENCRYPTION_KEY);
    }

    @LocalServerPort
    int port;

    @Test
    void exactlyOneOfConcurrentBootstrapsWins() {
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> attempts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String body = "{\"organizationName\":\"Org " + i + "\",\"adminEmail\":\"admin" + i + "@race.test\","
                    + "\"adminPassword\":\"a long enough password\",\"adminName\":\"Admin " + i + "\"}";
            attempts.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/tenants/bootstrap"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        List<Integer> statuses = attempts.stream().map(CompletableFuture::join).map(HttpResponse::statusCode).toList();
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 409).hasSize(5);

        // afterwards too: a new request is refused, and only the winner's administrator can sign in
        HttpResponse<String> again = post(http, "/api/tenants/bootstrap", "{\"organizationName\":\"Late\",\"adminEmail\":\"late@race.test\","
                + "\"adminPassword\":\"a long enough password\",\"adminName\":\"Late\"}");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        int winner = statuses.indexOf(201);
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> login = post(http, "/api/auth/login", "{\"email\":\"admin" + i + "@race.test\","
                    + "\"password\":\"a long enough password\"}");
            assertThat(login.statusCode()).as("admin %d signs in", i).isEqualTo(i == winner ? 200 : 401);
        }
        assertThat(post(http, "/api/auth/login", "{\"email\":\"late@race.test\",\"password\":\"a long enough password\"}").statusCode())
                .isEqualTo(401);
    }

    private HttpResponse<String> post(HttpClient http, String path, String body) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).join();
    }
}
