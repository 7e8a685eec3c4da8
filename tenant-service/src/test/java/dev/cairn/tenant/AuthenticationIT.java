package dev.cairn.tenant;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Sign-in, refresh-token rotation, sign-out, revocation, lockout. */
class AuthenticationIT extends TenantApiSupport {

    @Autowired
    StringRedisTemplate redis;

    @Test
    void signInGivesTokensThatIdentifyTheUser() {
        JsonNode tokens = login(ADMIN_EMAIL, adminPasswordAfterBootstrap());
        assertThat(tokens.get("tokenType").asString()).isEqualTo("Bearer");
        assertThat(tokens.get("expiresIn").asLong()).isEqualTo(900);
        assertThat(tokens.get("refreshToken").asString()).startsWith("rt_");
        HttpResponse<String> me = get("/api/auth/me", tokens.get("accessToken").asString());
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(json(me).get("email").asString()).isEqualTo(ADMIN_EMAIL);
        assertThat(json(me).get("roles").toString()).contains("SystemAdmin", "Administrator");
    }

    @Test
    void aFailedSignInNeverTellsWhetherTheAccountExists() {
        adminToken();
        HttpResponse<String> wrongPassword = post("/api/auth/login", null, Map.of("email", ADMIN_EMAIL, "password", "wrong password!!"));
        HttpResponse<String> noAccount = post("/api/auth/login", null, Map.of("email", "nobody-" + UUID.randomUUID() + "@acme.test",
                "password", "wrong password!!"));
        assertProblem(wrongPassword, 401);
        assertProblem(noAccount, 401);
        assertThat(wrongPassword.body()).isEqualTo(noAccount.body());
        // let the admin's own counter not matter to other tests
        login(ADMIN_EMAIL, ADMIN_PASSWORD);
    }

    @Test
    void repeatedFailuresLockTheEmailProgressivelyWhetherOrNotItExists() {
        String token = adminToken();
        String email = "victim-" + UUID.randomUUID() + "@acme.test";
        createUser(token, email, "the victim's password", List.of("Member"));
        String unknown = "ghost-" + UUID.randomUUID() + "@acme.test";
        for (String target : List.of(email, unknown)) {
            for (int i = 0; i < 3; i++) {
                assertProblem(post("/api/auth/login", null, Map.of("email", target, "password", "guess number " + i)), 401);
            }
            assertProblem(post("/api/auth/login", null, Map.of("email", target, "password", "guess number 4")), 401);
            HttpResponse<String> locked = post("/api/auth/login", null, Map.of("email", target, "password", "guess number 5"));
            assertProblem(locked, 429);
            assertThat(locked.headers().firstValue("Retry-After")).isPresent();
            if (target.equals(email)) {
                // even the right password waits out the lock
                assertProblem(post("/api/auth/login", null, Map.of("email", email, "password", "the victim's password")), 429);
            }
        }
        await().atMost(java.time.Duration.ofSeconds(5)).until(() ->
                post("/api/auth/login", null, Map.of("email", email, "password", "the victim's password")).statusCode() == 200);
    }

    @Test
    void refreshRotatesAndAReplayedTokenRevokesTheWholeSession() {
        adminToken();
        JsonNode first = login(ADMIN_EMAIL, ADMIN_PASSWORD);
        String refresh1 = first.get("refreshToken").asString();
        HttpResponse<String> rotated = post("/api/auth/token/refresh", null, Map.of("refreshToken", refresh1));
        assertThat(rotated.statusCode()).isEqualTo(200);
        String refresh2 = json(rotated).get("refreshToken").asString();
        String access2 = json(rotated).get("accessToken").asString();
        assertThat(refresh2).isNotEqualTo(refresh1);
        assertThat(get("/api/auth/me", access2).statusCode()).isEqualTo(200);

        HttpResponse<String> replay = post("/api/auth/token/refresh", null, Map.of("refreshToken", refresh1));
        assertProblem(replay, 401);
        assertThat(replay.body()).contains("refresh-token-reused");
        // the whole family is gone: the newest refresh token and the session's access tokens too
        assertProblem(post("/api/auth/token/refresh", null, Map.of("refreshToken", refresh2)), 401);
        assertProblem(get("/api/auth/me", access2), 401);
        assertProblem(get("/api/auth/me", first.get("accessToken").asString()), 401);
    }

    @Test
    void signOutEndsTheSession() {
        adminToken();
        JsonNode tokens = login(ADMIN_EMAIL, ADMIN_PASSWORD);
        String access = tokens.get("accessToken").asString();
        assertThat(post("/api/auth/logout", access, null).statusCode()).isEqualTo(204);
        assertProblem(get("/api/auth/me", access), 401);
        assertProblem(post("/api/auth/token/refresh", null, Map.of("refreshToken", tokens.get("refreshToken").asString())), 401);
    }

    @Test
    void aSignOutOutlivesRedisLosingEverything() {
        adminToken();
        String signedOut = login(ADMIN_EMAIL, ADMIN_PASSWORD).get("accessToken").asString();
        String kept = login(ADMIN_EMAIL, ADMIN_PASSWORD).get("accessToken").asString();
        assertThat(post("/api/auth/logout", signedOut, null).statusCode()).isEqualTo(204);
        assertProblem(get("/api/auth/me", signedOut), 401);

        // as when Redis restarts without persistence: the revocation, and the marker that the list is whole, are gone
        redis.execute((RedisCallback<Void>) connection -> {
            connection.serverCommands().flushAll();
            return null;
        });
        // within a second a replica has filled the list again from PostgreSQL; until then no token is believed
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/api/auth/me", kept).statusCode() == 200);
        assertProblem(get("/api/auth/me", signedOut), 401);
    }

    @Test
    void revocationAppliesToTheOwnersTokensOnly() {
        String admin = adminToken();
        String email = "member-" + UUID.randomUUID() + "@acme.test";
        createUser(admin, email, "member password 123", List.of("Member"));
        String memberAccess = login(email, "member password 123").get("accessToken").asString();
        String otherAdminSession = login(ADMIN_EMAIL, ADMIN_PASSWORD).get("accessToken").asString();

        // a member cannot revoke the administrator's token: answered 200, nothing happens
        assertThat(post("/api/auth/token/revoke", memberAccess, Map.of("token", otherAdminSession)).statusCode()).isEqualTo(200);
        assertThat(get("/api/auth/me", otherAdminSession).statusCode()).isEqualTo(200);

        assertThat(post("/api/auth/token/revoke", memberAccess, Map.of("token", memberAccess)).statusCode()).isEqualTo(200);
        assertProblem(get("/api/auth/me", memberAccess), 401);
    }

    @Test
    void disablingAUserInvalidatesTheirTokensAtOnce() {
        String admin = adminToken();
        String email = "leaver-" + UUID.randomUUID() + "@acme.test";
        String id = createUser(admin, email, "leaver password 123", List.of("Member"));
        JsonNode tokens = login(email, "leaver password 123");
        assertThat(get("/api/auth/me", tokens.get("accessToken").asString()).statusCode()).isEqualTo(200);

        assertThat(delete("/api/tenants/users/" + id, admin).statusCode()).isEqualTo(204);
        assertProblem(get("/api/auth/me", tokens.get("accessToken").asString()), 401);
        assertProblem(post("/api/auth/token/refresh", null, Map.of("refreshToken", tokens.get("refreshToken").asString())), 401);
        assertProblem(post("/api/auth/login", null, Map.of("email", email, "password", "leaver password 123")), 401);
    }

    private String adminPasswordAfterBootstrap() {
        adminToken();
        return ADMIN_PASSWORD;
    }

    String createUser(String adminToken, String email, String password, List<String> roles) {
        HttpResponse<String> created = post("/api/tenants/users", adminToken, Map.of("email", email, "displayName", "Someone",
                "password", password, "roles", roles));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created).get("id").asString();
    }
}
