package dev.cairn.platform.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

import dev.cairn.platform.auth.ServiceTokenClient;

/**
 * Calls another Cairn service with this service's own token. Several base addresses may be
 * given (replicas, or one DNS name that spreads over them); calls rotate over them, and a call
 * that cannot connect tries the next. A 401 fetches a fresh token once. A call may also carry a
 * caller's own token instead ({@link #asCaller}), so that the other service decides what the
 * caller may do (a wallet signs only for its owner).
 */
public class ServiceHttp {

    /** An answer: the status and the JSON body (missing when there is none). */
    public record Answer(int status, JsonNode body) {
        public boolean ok() {
            return status / 100 == 2;
        }
    }

    /** The service could not be reached at any of its addresses. */
    public static class UnreachableException extends RuntimeException {
        public UnreachableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final String service;
    private final List<URI> baseUris;
    private final ServiceTokenClient tokens;
    private final JsonMapper json;
    private final HttpClient http;
    private final AtomicInteger next = new AtomicInteger();

    public ServiceHttp(String service, List<URI> baseUris, ServiceTokenClient tokens, JsonMapper json) {
        this.service = service;
        this.baseUris = List.copyOf(baseUris);
        this.tokens = tokens;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).version(HttpClient.Version.HTTP_1_1).build();
    }

    public Answer get(String path) {
        return send("GET", path, null);
    }

    public Answer post(String path, Object body) {
        return send("POST", path, body);
    }

    public Answer put(String path, Object body) {
        return send("PUT", path, body);
    }

    /** A call made with the caller's bearer token rather than this service's (no retry on 401: the caller's token is what it is). */
    public Answer asCaller(String bearerToken, String method, String path, Object body) {
        return attempt(method, path, body == null ? null : json.writeValueAsBytes(body), bearerToken);
    }

    private Answer send(String method, String path, Object body) {
        byte[] bytes = body == null ? null : json.writeValueAsBytes(body);
        Answer answer = attempt(method, path, bytes, null);
        if (answer.status() == 401) {
            tokens.invalidate();
            answer = attempt(method, path, bytes, null);
        }
        return answer;
    }

    /** One call, on the next replica in turn; another replica is tried only when this one could not be reached (nothing was sent). */
    private Answer attempt(String method, String path, byte[] body, String bearerToken) {
        String token = bearerToken != null ? bearerToken : tokens.token();
        try {
            HttpResponse<byte[]> response = Addresses.send(http, baseUris, next.getAndIncrement(), Addresses.MoveOn.WHEN_NOT_SENT, base -> {
                HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + token).header("Accept", "application/json");
                return body != null ? request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build()
                        : request.method(method, HttpRequest.BodyPublishers.noBody()).build();
            }, HttpResponse.BodyHandlers.ofByteArray());
            byte[] bytes = response.body();
            boolean isJson = response.headers().firstValue("Content-Type").orElse("").contains("json");
            return new Answer(response.statusCode(), bytes.length > 0 && isJson ? json.readTree(bytes) : MissingNode.getInstance());
        } catch (Addresses.AllFailedException e) {
            throw new UnreachableException(service + " is unreachable: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UnreachableException(service + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreachableException("interrupted calling " + service, e);
        }
    }
}
