package dev.cairn.platform.auth;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import tools.jackson.databind.JsonNode;

import dev.cairn.platform.http.Addresses;
import dev.cairn.platform.http.ServiceHttp;

/**
 * This service's own access token, obtained with the OAuth2 client-credentials grant and
 * reused until shortly before it expires. Several token endpoints may be configured; they are
 * tried in order.
 */
public class ServiceTokenClient {

    private final AuthProperties.Client client;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private volatile String token;
    private volatile Instant renewAt = Instant.EPOCH;

    public ServiceTokenClient(AuthProperties.Client client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    public boolean configured() {
        return client.id() != null && client.secret() != null && !client.tokenUris().isEmpty();
    }

    /** A valid bearer token for this service. */
    public String token() {
        String current = token;
        if (current != null && clock.instant().isBefore(renewAt)) {
            return current;
        }
        synchronized (this) {
            if (token != null && clock.instant().isBefore(renewAt)) {
                return token;
            }
            return fetch();
        }
    }

    /** Forget the current token (e.g. after a 401), so the next call fetches a new one. */
    public void invalidate() {
        renewAt = Instant.EPOCH;
    }

    private String fetch() {
        if (!configured()) {
            throw new IllegalStateException("cairn.auth.client.id, .secret and .token-uris must be set to obtain a service token");
        }
        String basic = Base64.getEncoder().encodeToString((form(client.id()) + ":" + form(client.secret())).getBytes(StandardCharsets.UTF_8));
        try {
            // a grant may be asked for again: every endpoint in order until one grants
            HttpResponse<String> response = Addresses.send(http, client.tokenUris(), 0, Addresses.MoveOn.UNLESS_2XX, uri -> HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(5))
                    .header("Authorization", "Basic " + basic)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                String detail = "the token endpoint answered " + response.statusCode();
                // the tenant service busy or starting: the caller answers 503 and is asked again
                throw response.statusCode() == 429 || response.statusCode() >= 500
                        ? new ServiceHttp.UnreachableException(detail, null) : new IllegalStateException(detail);
            }
            JsonNode body = Jws.JSON.readTree(response.body());
            String accessToken = body.get("access_token").asString();
            long expiresIn = body.get("expires_in").asLong();
            token = accessToken;
            renewAt = clock.instant().plusSeconds(Math.max(1, expiresIn - Math.min(60, expiresIn / 5)));
            return accessToken;
        } catch (IOException e) {
            throw new ServiceHttp.UnreachableException("no token from the token endpoint: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** RFC 6749 §2.3.1: client id and secret are form-encoded before Basic encoding. */
    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
