package dev.cairn.platform.auth;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import dev.cairn.platform.http.Addresses;

/**
 * The tenant service's JWKS, fetched over HTTP and cached. An unknown key id triggers a refetch
 * (at most once per {@code minRefreshInterval}, so a flood of tokens with made-up key ids
 * cannot turn into a flood of requests); the set is also refreshed once it is older than
 * {@code maxAge}, so that keys retired by rotation disappear. Several URIs may be given; they
 * are tried in order until one answers.
 */
public class JwksKeySource implements KeySource {

    private static final Logger log = LoggerFactory.getLogger(JwksKeySource.class);

    private final List<URI> uris;
    private final Duration minRefreshInterval;
    private final Duration maxAge;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private volatile Map<String, byte[]> keys = Map.of();
    private volatile Instant fetchedAt = Instant.EPOCH;
    private volatile Instant lastAttempt = Instant.EPOCH;

    public JwksKeySource(List<URI> uris, Duration minRefreshInterval, Duration maxAge, Clock clock) {
        this.uris = List.copyOf(uris);
        this.minRefreshInterval = minRefreshInterval;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    @Override
    public byte[] publicKey(String keyId) {
        Instant now = clock.instant();
        byte[] key = keys.get(keyId);
        if (key == null || now.isAfter(fetchedAt.plus(maxAge))) {
            refresh(now);
            key = keys.get(keyId);
        }
        return key;
    }

    /** Key ids currently known, for the verifier to drop cached tokens of retired keys. */
    public boolean knows(String keyId) {
        return keys.containsKey(keyId);
    }

    private synchronized void refresh(Instant now) {
        if (uris.isEmpty() || now.isBefore(lastAttempt.plus(minRefreshInterval))) {
            return;
        }
        lastAttempt = now;
        try {
            HttpResponse<String> response = Addresses.send(http, uris, 0, Addresses.MoveOn.UNLESS_2XX,
                    uri -> HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
            keys = parse(response.body());
            fetchedAt = now;
        } catch (IOException | RuntimeException e) {
            log.warn("No JWKS: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The Ed25519 keys of a JWKS document (RFC 8037 "OKP"); anything else is ignored. */
    public static Map<String, byte[]> parse(String json) {
        Map<String, byte[]> result = new HashMap<>();
        JsonNode keys = Jws.JSON.readTree(json).get("keys");
        if (keys == null || !keys.isArray()) {
            return Map.of();
        }
        for (JsonNode key : keys) {
            if (!"OKP".equals(text(key, "kty")) || !"Ed25519".equals(text(key, "crv"))) {
                continue;
            }
            String alg = text(key, "alg");
            String use = text(key, "use");
            if ((alg != null && !Jws.ALGORITHM.equals(alg)) || (use != null && !"sig".equals(use))) {
                continue;
            }
            String kid = text(key, "kid");
            String x = text(key, "x");
            if (kid == null || x == null) {
                continue;
            }
            try {
                byte[] raw = Jws.decode(x);
                if (raw.length == 32) {
                    result.put(kid, raw);
                }
            } catch (IllegalArgumentException ignored) {
                // not base64url: skip the key
            }
        }
        return Map.copyOf(result);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isString() ? value.asString() : null;
    }
}
