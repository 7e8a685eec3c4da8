package dev.cairn.faults;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What the clients of one scenario saw: every request, when it was sent, its kind and whether it
 * succeeded, and the moments of the fault. A request is placed at the moment it was sent, so a
 * request that hung until its deadline counts against the moment the suite stopped answering.
 */
public final class Timeline {

    /** The kinds of request in the load. */
    public enum Kind {
        SINGLE("single transactions"),
        BATCH("transaction batches"),
        SIGN("wallet signatures"),
        READ("register reads"),
        WORKFLOW("workflow actions");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** One request: sent {@code at} milliseconds after the timeline began; why it failed (an HTTP status, no answer), or null. */
    public record Request(long at, Kind kind, boolean ok, String failure) {

        Request(long at, Kind kind, boolean ok) {
            this(at, kind, ok, ok ? null : "failed");
        }
    }

    /** A moment of the fault ("fault", "restart", "ready"), in milliseconds after the timeline began. */
    public record Mark(long at, String label) {
    }

    private final long originNanos;
    private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
    private final List<Mark> marks = Collections.synchronizedList(new ArrayList<>());

    public Timeline() {
        this(System.nanoTime());
    }

    Timeline(long originNanos) {
        this.originNanos = originNanos;
    }

    /** Milliseconds since the timeline began. */
    public long now() {
        return millis(System.nanoTime());
    }

    long millis(long nanoTime) {
        return (nanoTime - originNanos) / 1_000_000;
    }

    /** Records a request sent at {@code sentAtNanos} ({@link System#nanoTime()}): answered with {@code status}, or not at all ({@code error}). */
    public void record(Kind kind, long sentAtNanos, boolean ok, int status, Throwable error) {
        requests.add(new Request(millis(sentAtNanos), kind, ok, ok ? null : failure(status, error)));
    }

    /** How a failure reads in the report: the status, or what kept the answer away. */
    static String failure(int status, Throwable error) {
        if (error == null) {
            return "HTTP " + status;
        }
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof java.net.http.HttpTimeoutException) {
            return "no answer within the deadline";
        }
        if (cause instanceof java.net.ConnectException) {
            return "connection refused";
        }
        return "connection lost (" + cause.getClass().getSimpleName() + ")";
    }

    /** Failed requests by kind and reason, most frequent first: "single transactions: 22 × HTTP 503". */
    public List<String> failures() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        for (Request r : requests) {
            if (!r.ok()) {
                counts.merge(r.kind().label + ": " + r.failure(), 1L, Long::sum);
            }
        }
        return counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> e.getKey().replaceFirst(": ", ": " + e.getValue() + " × ")).toList();
    }

    void add(Request request) {
        requests.add(request);
    }

    public void mark(String label) {
        marks.add(new Mark(now(), label));
    }

    void mark(long at, String label) {
        marks.add(new Mark(at, label));
    }

    public List<Mark> marks() {
        synchronized (marks) {
            return List.copyOf(marks);
        }
    }

    /** Every request, in the order sent. */
    public List<Request> requests() {
        List<Request> all = new ArrayList<>(requests);
        all.sort((a, b) -> Long.compare(a.at(), b.at()));
        return all;
    }

    /** When the first mark of this label was set; -1 if none. */
    public long markAt(String label) {
        return marks().stream().filter(m -> m.label().equals(label)).mapToLong(Mark::at).findFirst().orElse(-1);
    }

    public int count() {
        return requests.size();
    }

    public int failed() {
        return (int) requests.stream().filter(r -> !r.ok()).count();
    }

    /** From the first failed request to the last, in seconds; 0 when none failed. */
    public double errorWindowSeconds() {
        List<Request> failures = requests().stream().filter(r -> !r.ok()).toList();
        return failures.isEmpty() ? 0 : (failures.get(failures.size() - 1).at() - failures.get(0).at()) / 1000.0;
    }

    /** A second counts as served when at most this share of the requests sent in it failed. */
    static final double SERVED = 0.1;

    /**
     * From {@code since} until the suite served again, in seconds: the end of the last whole
     * second after {@code since} in which more than a tenth of the requests failed (a request
     * that fails now and then under load does not count as an outage). 0 when no second after
     * {@code since} was that bad; empty when the last second with requests still was, so the run
     * ended before the suite served again.
     */
    public OptionalDouble secondsToServeAgain(long since) {
        long last = -1;
        for (Request r : requests) {
            if (r.at() >= since) {
                last = Math.max(last, r.at());
            }
        }
        if (last < 0) {
            return OptionalDouble.of(0);
        }
        int[][] seconds = new int[(int) ((last - since) / 1000) + 1][2];
        for (Request r : requests) {
            if (r.at() >= since) {
                seconds[(int) ((r.at() - since) / 1000)][r.ok() ? 0 : 1]++;
            }
        }
        int lastBad = -1;
        for (int i = 0; i < seconds.length; i++) {
            int total = seconds[i][0] + seconds[i][1];
            if (total > 0 && seconds[i][1] > SERVED * total) {
                lastBad = i;
            }
        }
        if (lastBad == seconds.length - 1) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(lastBad + 1);
    }

    /** Successes and failures per {@code bucketMillis}, from 0 to the last request: [bucket][0 = ok, 1 = failed]. */
    public int[][] buckets(long bucketMillis) {
        List<Request> sorted = requests();
        long end = sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1).at();
        for (Mark mark : marks()) {
            end = Math.max(end, mark.at());
        }
        int[][] counts = new int[(int) (end / bucketMillis) + 1][2];
        for (Request r : sorted) {
            counts[(int) (Math.max(0, r.at()) / bucketMillis)][r.ok() ? 0 : 1]++;
        }
        return counts;
    }
}
