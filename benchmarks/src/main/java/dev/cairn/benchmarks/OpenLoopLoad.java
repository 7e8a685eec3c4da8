package dev.cairn.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Requests at a fixed arrival rate, whatever the server does (open loop): latency is measured
 * from when a request was due, not when it was sent, so a stalled server cannot hide its
 * stall by slowing the client down (no coordinated omission).
 */
public final class OpenLoopLoad {

    /** Latency percentiles in milliseconds and the count of requests that did not get a 2xx. */
    public record Result(int requests, int errors, double p50, double p90, double p99, double max, double achievedRate) {
        public String summary() {
            return String.format("p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms, %d requests, %d errors, %.0f req/s",
                    p50, p90, p99, max, requests, errors, achievedRate);
        }
    }

    private OpenLoopLoad() {
    }

    public static Result run(URI target, int ratePerSecond, Duration duration) {
        ExecutorService executor = Executors.newFixedThreadPool(4);
        try {
            return run(target, ratePerSecond, duration, executor);
        } finally {
            executor.shutdownNow();
        }
    }

    private static Result run(URI target, int ratePerSecond, Duration duration, ExecutorService executor) {
        HttpClient client = HttpClient.newBuilder()
                .executor(executor)
                .connectTimeout(Duration.ofSeconds(2))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        HttpRequest request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(10)).GET().build();
        int total = (int) (ratePerSecond * duration.toMillis() / 1000);
        long intervalNanos = 1_000_000_000L / ratePerSecond;
        long[] latencies = new long[total];
        AtomicInteger errors = new AtomicInteger();
        long start = System.nanoTime() + 50_000_000L; // when paced sends the first
        paced(total, intervalNanos, (index, dueAt) -> client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .handle((response, error) -> {
                    latencies[index] = System.nanoTime() - dueAt;
                    if (error != null || response.statusCode() / 100 != 2) {
                        errors.incrementAndGet();
                    }
                    return null;
                }));
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        return new Result(total, errors.get(), millis(sorted, 0.50), millis(sorted, 0.90), millis(sorted, 0.99),
                sorted[sorted.length - 1] / 1e6, total / seconds);
    }

    /** Sends one request: item {@code index}, due at {@code dueNanos} (System.nanoTime). */
    interface Send {
        CompletableFuture<?> send(int index, long dueNanos);
    }

    /**
     * Sends {@code count} requests one {@code intervalNanos} apart, from 50 ms from now, whatever the
     * answers do, and waits for every answer; returns when each was due.
     */
    static long[] paced(int count, long intervalNanos, Send send) {
        long[] due = new long[count];
        List<CompletableFuture<?>> pending = new ArrayList<>(count);
        long start = System.nanoTime() + 50_000_000L;
        for (int i = 0; i < count; i++) {
            due[i] = start + i * intervalNanos;
            long wait = due[i] - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            pending.add(send.send(i, due[i]));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        return due;
    }

    private static double millis(long[] sorted, double quantile) {
        int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }
}
