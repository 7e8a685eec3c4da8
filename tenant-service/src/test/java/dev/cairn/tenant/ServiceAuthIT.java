package dev.cairn.tenant;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The OAuth2 client-credentials grant for Cairn's services and organisations' integrations. */
class ServiceAuthIT extends TenantApiSupport {

    private HttpResponse<String> token(String form, String basicUser, String basicPassword) {
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(uri("/api/service-auth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form));
        if (basicUser != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((basicUser + ":" + basicPassword)
                    .getBytes(StandardCharsets.UTF_8)));
        }
        return send(request.build());
    }

    @Test
    void aProvisionedServiceGetsATokenWithItsScopesFromTheFirstBoot() {
        HttpResponse<String> response = token("grant_type=client_credentials", "validator-service", VALIDATOR_SECRET);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode body = json(response);
        assertThat(body.get("token_type").asString()).isEqualTo("Bearer");
        assertThat(body.get("scope").asString().split(" ")).containsExactlyInAnyOrder("wallet:sign", "register:read", "register:write-docket");
        HttpResponse<String> me = get("/api/auth/me", body.get("access_token").asString());
        assertThat(json(me).get("type").asString()).isEqualTo("service");
        assertThat(json(me).get("id").asString()).isEqualTo("validator-service");
    }

    @Test
    void credentialsMayComeInTheBodyAndScopesMayBeNarrowed() {
        HttpResponse<String> response = token("grant_type=client_credentials&client_id=validator-service&client_secret="
                + VALIDATOR_SECRET + "&scope=register:read", null, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).get("scope").asString()).isEqualTo("register:read");
    }

    @Test
    void oauthErrorsFollowRfc6749InsideProblemJson() {
        HttpResponse<String> badSecret = token("grant_type=client_credentials", "validator-service", "not-the-secret");
        assertProblem(badSecret, 401);
        assertThat(json(badSecret).get("error").asString()).isEqualTo("invalid_client");
        assertThat(badSecret.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));

        HttpResponse<String> unknownClient = token("grant_type=client_credentials", "no-such-client", "whatever");
        assertThat(unknownClient.body()).isEqualTo(badSecret.body());

        HttpResponse<String> password = token("grant_type=password&username=a&password=b", "validator-service", VALIDATOR_SECRET);
        assertProblem(password, 400);
        assertThat(json(password).get("error").asString()).isEqualTo("unsupported_grant_type");

        HttpResponse<String> scope = token("grant_type=client_credentials&scope=tenant:read", "validator-service", VALIDATOR_SECRET);
        assertProblem(scope, 400);
        assertThat(json(scope).get("error").asString()).isEqualTo("invalid_scope");

        HttpResponse<String> json = send("POST", "/api/service-auth/token", null, "application/json", "{\"grant_type\":\"client_credentials\"}");
        assertProblem(json, 415);
    }

    @Test
    void anOrganisationsIntegrationGetsTokensForItsOwnOrganisation() {
        String admin = adminToken();
        HttpResponse<String> created = post("/api/tenants/service-principals", admin, Map.of("name", "ERP bridge", "scopes",
                List.of("wallet:sign", "register:read")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String clientId = json(created).get("clientId").asString();
        String secret = json(created).get("clientSecret").asString();
        HttpResponse<String> shown = get("/api/tenants/service-principals/" + json(created).get("id").asString(), admin);
        assertThat(shown.statusCode()).as(shown.body()).isEqualTo(200);
        assertThat(shown.body()).contains(clientId).doesNotContain(secret);

        HttpResponse<String> response = token("grant_type=client_credentials", clientId, secret);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String organization = json(get("/api/auth/me", admin)).get("organizationId").asString();
        assertThat(json(get("/api/auth/me", json(response).get("access_token").asString())).get("organizationId").asString())
                .isEqualTo(organization);

        HttpResponse<String> rotated = post("/api/tenants/service-principals/" + json(created).get("id").asString() + "/secret", admin, null);
        assertThat(rotated.statusCode()).isEqualTo(200);
        assertProblem(token("grant_type=client_credentials", clientId, secret), 401);
        assertThat(token("grant_type=client_credentials", clientId, json(rotated).get("clientSecret").asString()).statusCode()).isEqualTo(200);

        HttpResponse<String> systemScope = post("/api/tenants/service-principals", admin, Map.of("name", "too much", "scopes",
                List.of("register:write-docket")));
        assertProblem(systemScope, 400);
    }
}
