package dev.cairn.systemtests;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A steady stream of requests (GETs of one path, or any call) from a few client threads, each outcome recorded with its
 * time, so that a test can say exactly when requests failed around a fault it injected.
 */
final class SteadyLoad implements AutoCloseable {

    record Outcome(long atNanos, int status, String instance, String error) {
        boolean failed() {
            return error != null || status != 200;
        }
    }

    private final List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    SteadyLoad(Http http, String path, int clients, long pauseMillis) {
        this(() -> http.get(path), clients, pauseMillis);
    }

    SteadyLoad(Supplier<HttpResponse<String>> call, int clients, long pauseMillis) {
        for (int i = 0; i < clients; i++) {
            Thread thread = new Thread(() -> {
                while (running) {
                    long at = System.nanoTime();
                    try {
                        HttpResponse<String> response = call.get();
                        outcomes.add(new Outcome(at, response.statusCode(), Http.instance(response), null));
                    } catch (RuntimeException e) {
                        outcomes.add(new Outcome(at, 0, null, e.getMessage()));
                    }
                    sleep(pauseMillis);
                }
            }, "steady-load-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    List<Outcome> outcomes() {
        synchronized (outcomes) {
            return new ArrayList<>(outcomes);
        }
    }

    List<Outcome> failures() {
        return outcomes().stream().filter(Outcome::failed).toList();
    }

    /**
     * When, relative to {@code fromNanos}, the last failed request was sent (negative: it was in
     * flight before the fault); empty when none failed.
     */
    Optional<Double> lastFailureSeconds(long fromNanos) {
        return failures().stream().map(Outcome::atNanos).max(Long::compare).map(last -> (last - fromNanos) / 1e9);
    }

    String describe(long faultNanos) {
        List<Outcome> all = outcomes();
        long after = all.stream().filter(o -> o.atNanos() >= faultNanos).count();
        return String.format("%d requests (%d sent after the fault), %d failed%s", all.size(), after, failures().size(),
                lastFailureSeconds(faultNanos).map(s -> String.format(", last failed request sent at %+.2f s from the fault", s))
                        .orElse(""));
    }

    @Override
    public void close() {
        running = false;
        for (Thread thread : threads) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(15));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
