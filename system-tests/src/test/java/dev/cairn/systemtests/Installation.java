package dev.cairn.systemtests;

import java.net.http.HttpResponse;

import dev.cairn.localcluster.LocalCluster;

/**
 * The test installation: bootstrapped once through the front door, with an administrator
 * tests can sign in as.
 */
final class Installation {

    static final String ADMIN_EMAIL = "root@cairn.test";
    static final String ADMIN_PASSWORD = "system test admin password";

    private static boolean bootstrapped;

    private Installation() {
    }

    /** A fresh access token of the installation's SystemAdmin. */
    static synchronized String adminToken(LocalCluster cluster) {
        Http front = new Http(cluster.frontUrl());
        if (!bootstrapped) {
            HttpResponse<String> response = front.post("/api/tenants/bootstrap", "application/json",
                    "{\"organizationName\":\"System Tests\",\"adminEmail\":\"" + ADMIN_EMAIL + "\",\"adminPassword\":\""
                            + ADMIN_PASSWORD + "\",\"adminName\":\"Root\"}");
            if (response.statusCode() != 201 && response.statusCode() != 409) {
                throw new IllegalStateException("bootstrap failed: " + response.statusCode() + " " + response.body());
            }
            bootstrapped = true;
        }
        return Json.field(login(front, ADMIN_EMAIL, ADMIN_PASSWORD).body(), "accessToken");
    }

    static HttpResponse<String> login(Http http, String email, String password) {
        HttpResponse<String> response = http.post("/api/auth/login", "application/json",
                "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
        if (response.statusCode() != 200) {
            throw new IllegalStateException("login failed: " + response.statusCode() + " " + response.body());
        }
        return response;
    }

    /** A client-credentials token of one of Cairn's own services, with the secret the launcher generated for it. */
    static String serviceToken(LocalCluster cluster, String service) {
        try {
            String secret = java.nio.file.Files.readString(cluster.home().resolve("data/secrets/client-secret-" + service)).trim();
            String basic = java.util.Base64.getEncoder().encodeToString((service + ":" + secret).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            HttpResponse<String> response = new Http(cluster.frontUrl()).send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(cluster.frontUrl() + "/api/service-auth/token"))
                    .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("token for " + service + ": " + response.statusCode() + " " + response.body());
            }
            return Json.field(response.body(), "access_token");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
