package dev.cairn.faults;

import java.time.Duration;
import java.util.function.Supplier;

import tools.jackson.databind.node.ObjectNode;

/**
 * A signed-in administrator whose access token is renewed before it ends, so that a campaign
 * longer than one token's life keeps working. A renewal that fails while the tenant service is
 * down keeps the token it has for as long as that is still valid.
 */
final class Session implements Supplier<String> {

    /** Renewed after this long; access tokens live 15 minutes by default. */
    private static final Duration RENEW_AFTER = Duration.ofMinutes(8);
    private static final Duration VALID_FOR = Duration.ofMinutes(14);

    private final Api api;
    private final String email;
    private final String password;
    private String token;
    private long issuedAt;
    private long triedAt;

    Session(Api api, String email, String password) {
        this.api = api;
        this.email = email;
        this.password = password;
    }

    /** Bootstraps the installation with this administrator when it has none yet. */
    static Session bootstrap(Api api, String organization, String email, String password) {
        ObjectNode body = Api.JSON.createObjectNode().put("organizationName", organization).put("adminEmail", email)
                .put("adminPassword", password).put("adminName", "Fault campaign");
        int status = api.send(api.post("/api/tenants/bootstrap", null, body.toString())).statusCode();
        if (status != 201 && status != 409) {
            throw new IllegalStateException("bootstrap answered " + status);
        }
        return new Session(api, email, password);
    }

    /** The sign-in request's body. */
    String credentials() {
        return Api.JSON.createObjectNode().put("email", email).put("password", password).toString();
    }

    @Override
    public synchronized String get() {
        long now = System.nanoTime();
        long age = now - issuedAt;
        boolean due = token == null || age > RENEW_AFTER.toNanos() && now - triedAt > Duration.ofSeconds(2).toNanos();
        if (due) {
            triedAt = now;
            try {
                // the load waits on this: with a token in hand, a short try; the old one serves on if it fails
                Duration patience = token == null ? Duration.ofSeconds(60) : Duration.ofSeconds(3);
                token = api.callPatiently(() -> api.post("/api/auth/login", null, credentials()), patience).path("accessToken").asString();
                issuedAt = System.nanoTime();
            } catch (RuntimeException e) {
                if (token == null || age > VALID_FOR.toNanos()) {
                    throw e;
                }
            }
        }
        return token;
    }
}
