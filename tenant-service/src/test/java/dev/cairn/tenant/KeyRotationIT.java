package dev.cairn.tenant;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Signing-key rotation with an overlap: the new key is published at once, signs only after the
 * overlap (2 s in these tests), and tokens of the old key stay valid.
 */
class KeyRotationIT extends TenantApiSupport {

    @Test
    void rotationPublishesFirstAndSwitchesAfterTheOverlap() {
        String admin = adminToken();
        String oldKid = kidOf(admin);

        HttpResponse<String> rotated = post("/api/tenants/signing-keys/rotate", admin, null);
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
        String newKid = json(rotated).get("kid").asString();
        assertThat(newKid).isNotEqualTo(oldKid);

        JsonNode jwks = json(get("/.well-known/jwks.json", null));
        assertThat(jwks.get("keys").toString()).contains(oldKid).contains(newKid);

        String during = login(ADMIN_EMAIL, ADMIN_PASSWORD).get("accessToken").asString();
        assertThat(kidOf(during)).isEqualTo(oldKid);

        await().atMost(Duration.ofSeconds(10)).until(() -> kidOf(login(ADMIN_EMAIL, ADMIN_PASSWORD).get("accessToken").asString())
                .equals(newKid));
        assertThat(get("/api/auth/me", during).statusCode()).as("a token of the retired key still verifies").isEqualTo(200);
        assertThat(json(get("/.well-known/jwks.json", null)).get("keys").toString()).contains(oldKid);
    }

    @Test
    void onlyASystemAdminRotates() {
        String admin = adminToken();
        String suffix = java.util.UUID.randomUUID().toString().substring(0, 8);
        post("/api/tenants/users", admin, java.util.Map.of("email", "auditor-" + suffix + "@acme.test", "displayName", "A",
                "password", "auditor password 123", "roles", java.util.List.of("Auditor", "Administrator")));
        String other = login("auditor-" + suffix + "@acme.test", "auditor password 123").get("accessToken").asString();
        assertProblem(post("/api/tenants/signing-keys/rotate", other, null), 403);
    }

    private static String kidOf(String token) {
        return JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[0])).get("kid").asString();
    }
}
