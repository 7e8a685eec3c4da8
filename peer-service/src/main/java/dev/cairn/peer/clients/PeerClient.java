package dev.cairn.peer.clients;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;

import dev.cairn.ledger.CanonicalJson;
import dev.cairn.peer.protocol.Envelopes;
import dev.cairn.platform.problem.ApiException;

/**
 * Calls to other installations' peer services ({@code <url>/peer/v1/...}), each a signed
 * envelope answered by a signed envelope that names the request; an answer that is not one is a
 * {@link PeerCallException}, as is any refusal or failure to reach the peer.
 */
@Component
public class PeerClient {

    /** A call that got no believable answer: the peer could not be reached, refused, or answered something that is not one. */
    public static final class PeerCallException extends RuntimeException {
        private final int status;
        private final String type;

        PeerCallException(int status, String type, String message) {
            super(message);
            this.status = status;
            this.type = type;
        }

        /** The HTTP status of the peer's refusal, 0 when it could not be reached or its answer is not believable. */
        public int status() {
            return status;
        }

        /** The problem type of the refusal, or of the reason the answer was not believed. */
        public String type() {
            return type;
        }
    }

    /** A believed answer, and how long the round trip took. */
    public record Answer(Envelopes.Opened opened, Duration roundTrip) {
        public JsonNode body() {
            return opened.body();
        }
    }

    /** How long an answer's body may take to arrive after the request's own timeout. */
    private static final Duration BODY_GRACE = Duration.ofSeconds(10);

    private final Envelopes envelopes;
    private final JsonMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).version(HttpClient.Version.HTTP_1_1).build();

    public PeerClient(Envelopes envelopes, JsonMapper json) {
        this.envelopes = envelopes;
        this.json = json;
    }

    /** The node's self-description ({@code GET /peer/v1/info}): who answers at this address. */
    public Answer info(URI base) {
        long started = System.nanoTime();
        HttpRequest request = HttpRequest.newBuilder(resolve(base, "info")).timeout(Duration.ofSeconds(5)).header("Accept", "application/json")
                .GET().build();
        JsonNode body = exchange(request, base).body();
        try {
            return new Answer(envelopes.openInfo(body), Duration.ofNanos(System.nanoTime() - started));
        } catch (ApiException e) {
            throw new PeerCallException(0, typeOf(e.getBody().getType().toString()), base + ": " + e.getBody().getDetail());
        }
    }

    /**
     * Sends a request of {@code type} to the node {@code to} at {@code base}, and returns its
     * answer of type {@code type + ".answer"}, believed only if that node signed it for this one.
     */
    public Answer call(URI base, String to, String type, JsonNode body, Duration timeout) {
        ObjectNode envelope = envelopes.seal(type, to, null, body);
        long started = System.nanoTime();
        HttpRequest request = HttpRequest.newBuilder(resolve(base, type.replace('.', '/'))).timeout(timeout)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(CanonicalJson.bytes(envelope))).build();
        Received answer = exchange(request, base);
        try {
            return new Answer(envelopes.openAnswer(answer.body(), answer.bytes(), type + ".answer", to, envelope.path("nonce").stringValue()),
                    Duration.ofNanos(System.nanoTime() - started));
        } catch (ApiException e) {
            throw new PeerCallException(0, typeOf(e.getBody().getType().toString()), base + ": " + e.getBody().getDetail());
        }
    }

    /** An answer's bytes as they came, and parsed. */
    private record Received(byte[] bytes, JsonNode body) {
    }

    /**
     * One exchange, over within the request's timeout plus {@link #BODY_GRACE} whatever happens: a
     * peer (or a proxy on the way) that stops sending in the middle of an answer must not hold a
     * replication loop for ever.
     */
    private Received exchange(HttpRequest request, URI base) {
        Duration deadline = request.timeout().orElse(Duration.ofSeconds(30)).plus(BODY_GRACE);
        CompletableFuture<HttpResponse<byte[]>> pending = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> response;
        try {
            response = pending.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new PeerCallException(0, "unreachable", base + " cannot be reached: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new PeerCallException(0, "unreachable", base + " did not answer within " + deadline.toSeconds() + " s");
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new PeerCallException(0, "unreachable", "interrupted calling " + base);
        }
        JsonNode body;
        try {
            body = response.body().length == 0 ? json.createObjectNode() : json.readTree(response.body());
        } catch (RuntimeException e) {
            throw new PeerCallException(response.statusCode(), "not-json", base + " answered " + response.statusCode() + " with a body that is not JSON");
        }
        if (response.statusCode() != 200) {
            throw new PeerCallException(response.statusCode(), typeOf(body.path("type").asString("http-" + response.statusCode())),
                    base + " answered " + response.statusCode() + ": " + body.path("detail").asString(""));
        }
        return new Received(response.body(), body);
    }

    /** A problem type without Cairn's prefix: {@code invalid-signature} rather than its URI. */
    public static String typeOf(String type) {
        return type.startsWith(ApiException.TYPE_BASE) ? type.substring(ApiException.TYPE_BASE.length()) : type;
    }

    private static URI resolve(URI base, String path) {
        String root = base.toString().endsWith("/") ? base.toString() : base + "/";
        return URI.create(root + "peer/v1/" + path);
    }
}
