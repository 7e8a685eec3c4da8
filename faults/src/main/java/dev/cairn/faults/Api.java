package dev.cairn.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The campaign's HTTP client: every call has a deadline, so a frozen or dead process shows as a
 * failed request rather than a stuck client. Calls go to the suite's front; where no nginx runs
 * they are spread over the gateways, as a load balancer would spread them.
 */
final class Api {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** A workflow action does more (the wallet signs, the validator checks and stores): its client waits longer. */
    static final Duration WORKFLOW_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .executor(Executors.newFixedThreadPool(8, runnable -> {
                Thread thread = new Thread(runnable, "faults-http");
                thread.setDaemon(true);
                return thread;
            }))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final List<String> bases;
    private final AtomicInteger next = new AtomicInteger();

    Api(List<String> bases) {
        if (bases.isEmpty()) {
            throw new IllegalArgumentException("no address to send requests to");
        }
        this.bases = List.copyOf(bases);
    }

    String base() {
        return bases.get(Math.floorMod(next.getAndIncrement(), bases.size()));
    }

    HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base() + path)).timeout(TIMEOUT);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    HttpRequest get(String path, String token) {
        return request(path, token).GET().build();
    }

    HttpRequest post(String path, String token, String json) {
        return request(path, token).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest request) {
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Sends and waits; a broken connection is an {@link UncheckedIOException}. */
    HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Sends and returns the JSON body of a 2xx answer; anything else is an {@link Refused} naming the answer. */
    JsonNode call(HttpRequest request) {
        HttpResponse<String> response = send(request);
        if (response.statusCode() / 100 != 2) {
            throw new Refused(request, response);
        }
        return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    /**
     * {@link #call} again, after a broken connection, a 5xx or a 429, until it answers 2xx or
     * {@code within} has passed: set-up and checks run while a fault may still be healing. Any
     * other refusal is final.
     */
    JsonNode callPatiently(Supplier<HttpRequest> request, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            try {
                return call(request.get());
            } catch (Refused e) {
                if (e.status < 500 && e.status != 429 || System.nanoTime() > deadline) {
                    throw e;
                }
            } catch (UncheckedIOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            Pause.millis(250);
        }
    }

    /** An answer other than 2xx. */
    static final class Refused extends IllegalStateException {
        final int status;

        Refused(HttpRequest request, HttpResponse<String> response) {
            super(request.method() + " " + request.uri().getPath() + " answered " + response.statusCode() + ": " + response.body());
            this.status = response.statusCode();
        }
    }
}
