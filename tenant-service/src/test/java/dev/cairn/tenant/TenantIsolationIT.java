package dev.cairn.tenant;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** An administrator of one organisation can neither see nor change another's objects. */
class TenantIsolationIT extends TenantApiSupport {

    @Test
    void anAdministratorOfOrganisationAGetsNotFoundOnEveryObjectOfOrganisationB() {
        String systemAdmin = adminToken();
        String suffix = UUID.randomUUID().toString().substring(0, 8);

        // Organisation B with its own administrator, user and integration.
        HttpResponse<String> orgB = post("/api/tenants/organizations", systemAdmin, Map.of("name", "Globex " + suffix,
                "adminEmail", "boss-" + suffix + "@globex.test", "adminPassword", "globex admin password", "adminName", "Hank"));
        assertThat(orgB.statusCode()).as(orgB.body()).isEqualTo(201);
        String orgBId = json(orgB).get("organizationId").asString();
        String adminB = login("boss-" + suffix + "@globex.test", "globex admin password").get("accessToken").asString();
        HttpResponse<String> userB = post("/api/tenants/users", adminB, Map.of("email", "worker-" + suffix + "@globex.test",
                "displayName", "Worker", "password", "globex worker password", "roles", List.of("Member")));
        assertThat(userB.statusCode()).as(userB.body()).isEqualTo(201);
        String userBId = json(userB).get("id").asString();
        HttpResponse<String> principalB = post("/api/tenants/service-principals", adminB, Map.of("name", "globex sync", "scopes",
                List.of("register:read")));
        String principalBId = json(principalB).get("id").asString();

        // An Administrator (not SystemAdmin) of organisation A.
        String adminAEmail = "admin-" + suffix + "@acme.test";
        assertThat(post("/api/tenants/users", systemAdmin, Map.of("email", adminAEmail, "displayName", "Alice",
                "password", "acme admin password", "roles", List.of("Administrator"))).statusCode()).isEqualTo(201);
        String adminA = login(adminAEmail, "acme admin password").get("accessToken").asString();

        for (String token : List.of(adminA, systemAdmin)) {
            assertProblem(get("/api/tenants/users/" + userBId, token), 404);
            assertProblem(patch("/api/tenants/users/" + userBId, token, Map.of("displayName", "pwned")), 404);
            assertProblem(delete("/api/tenants/users/" + userBId, token), 404);
            assertProblem(get("/api/tenants/service-principals/" + principalBId, token), 404);
            assertProblem(post("/api/tenants/service-principals/" + principalBId + "/secret", token, null), 404);
            assertProblem(delete("/api/tenants/service-principals/" + principalBId, token), 404);
            assertListedWithout(get("/api/tenants/users?size=200", token), userBId);
            assertListedWithout(get("/api/tenants/service-principals?size=200", token), principalBId);
        }
        assertProblem(get("/api/tenants/organizations/" + orgBId, adminA), 404);
        assertThat(get("/api/tenants/organizations/" + orgBId, adminB).statusCode()).isEqualTo(200);
        assertProblem(get("/api/tenants/organizations", adminA), 403);

        // and B's objects are untouched
        assertThat(json(get("/api/tenants/users/" + userBId, adminB)).get("displayName").asString()).isEqualTo("Worker");
        assertThat(json(get("/api/tenants/users/" + userBId, adminB)).get("status").asString()).isEqualTo("active");
    }

    @Test
    void onlyASystemAdminGrantsSystemAdmin() {
        String systemAdmin = adminToken();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        assertThat(post("/api/tenants/users", systemAdmin, Map.of("email", "plain-admin-" + suffix + "@acme.test", "displayName", "P",
                "password", "plain admin password", "roles", List.of("Administrator"))).statusCode()).isEqualTo(201);
        String plainAdmin = login("plain-admin-" + suffix + "@acme.test", "plain admin password").get("accessToken").asString();
        assertProblem(post("/api/tenants/users", plainAdmin, Map.of("email", "escalate-" + suffix + "@acme.test", "displayName", "E",
                "password", "escalation password", "roles", List.of("SystemAdmin"))), 403);
        String member = login(createMember(plainAdmin, suffix), "member password 1234").get("accessToken").asString();
        assertProblem(post("/api/tenants/users", member, Map.of("email", "m2-" + suffix + "@acme.test", "displayName", "E",
                "password", "escalation password", "roles", List.of("Member"))), 403);
    }

    private String createMember(String admin, String suffix) {
        String email = "member-" + suffix + "@acme.test";
        assertThat(post("/api/tenants/users", admin, Map.of("email", email, "displayName", "M", "password", "member password 1234",
                "roles", List.of("Member"))).statusCode()).isEqualTo(201);
        return email;
    }

    /** A listing that answered (so its silence means something) and does not name the object. */
    private static void assertListedWithout(java.net.http.HttpResponse<String> listing, String id) {
        assertThat(listing.statusCode()).as(listing.body()).isEqualTo(200);
        assertThat(listing.body()).contains("\"items\"").doesNotContain(id);
    }
}
