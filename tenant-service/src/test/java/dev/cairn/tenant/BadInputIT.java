package dev.cairn.tenant;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Client mistakes get 400, 413 or 415 as problem+json, and nothing is stored. */
class BadInputIT extends TenantApiSupport {

    @Test
    void malformedUnknownOversizedAndMistypedBodiesChangeNothing() {
        String admin = adminToken();
        long before = userCount(admin);

        HttpResponse<String> malformed = send("POST", "/api/tenants/users", admin, "application/json", "{\"email\": \"x@y.test\", ");
        assertProblem(malformed, 400);
        assertThat(malformed.body()).contains("not well-formed JSON");

        HttpResponse<String> unknownField = post("/api/tenants/users", admin, Map.of("email", "u1@acme.test", "displayName", "U",
                "password", "a long enough password", "roles", List.of("Member"), "isAdmin", true));
        assertProblem(unknownField, 400);
        assertThat(unknownField.body()).contains("Unknown field 'isAdmin'");

        HttpResponse<String> missing = post("/api/tenants/users", admin, Map.of("email", "u2@acme.test", "roles", List.of("Member")));
        assertProblem(missing, 400);
        assertThat(missing.body()).contains("\"field\":\"password\"").contains("\"field\":\"displayName\"");

        HttpResponse<String> badEmail = post("/api/tenants/users", admin, Map.of("email", "not-an-email", "displayName", "U",
                "password", "a long enough password", "roles", List.of("Member")));
        assertProblem(badEmail, 400);

        HttpResponse<String> shortPassword = post("/api/tenants/users", admin, Map.of("email", "u3@acme.test", "displayName", "U",
                "password", "short", "roles", List.of("Member")));
        assertProblem(shortPassword, 400);

        HttpResponse<String> badRole = post("/api/tenants/users", admin, Map.of("email", "u4@acme.test", "displayName", "U",
                "password", "a long enough password", "roles", List.of("Overlord")));
        assertProblem(badRole, 400);

        HttpResponse<String> oversized = post("/api/tenants/users", admin, Map.of("email", "u5@acme.test", "displayName", "x".repeat(70_000),
                "password", "a long enough password", "roles", List.of("Member")));
        assertProblem(oversized, 413);

        HttpResponse<String> wrongType = send("POST", "/api/tenants/users", admin, "text/plain", "email=u6@acme.test");
        assertProblem(wrongType, 415);

        HttpResponse<String> badId = get("/api/tenants/users/not-a-uuid", admin);
        assertProblem(badId, 400);

        HttpResponse<String> hugePage = get("/api/tenants/users?size=100000", admin);
        assertProblem(hugePage, 400);

        assertThat(userCount(admin)).isEqualTo(before);
    }

    @Test
    void badSignInInputRevealsNothing() {
        adminToken();
        HttpResponse<String> noBody = send("POST", "/api/auth/login", null, "application/json", "");
        assertProblem(noBody, 400);
        HttpResponse<String> extra = post("/api/auth/login", null, Map.of("email", ADMIN_EMAIL, "password", "x", "remember", true));
        assertProblem(extra, 400);
        assertThat(extra.body()).doesNotContain(ADMIN_EMAIL);
    }

    private long userCount(String admin) {
        return json(get("/api/tenants/users?size=1", admin)).get("total").asLong();
    }
}
