package dev.cairn.register.events;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.springframework.stereotype.Component;

/**
 * Wakes whoever waits for a register's next docket (a long poll) as soon as one is sealed: by
 * this replica's writer directly, by the other replicas' writers through their events on Redis.
 * A waiter checks its condition again at least every second as well, so that an event lost on
 * the way only delays it.
 */
@Component
public class DocketArrivals {

    private static final Duration RECHECK = Duration.ofSeconds(1);

    /** The waiters on one register: how many there are, and how many dockets were heard of since the first came. */
    private static final class Waiters {
        private long heard;
        private int waiting;
    }

    private final Map<String, Waiters> waiters = new ConcurrentHashMap<>();
    private final long recheckMillis;

    public DocketArrivals() {
        this(RECHECK);
    }

    /** With waiters that check their conditions again every {@code recheck} when no docket wakes them. */
    DocketArrivals(Duration recheck) {
        this.recheckMillis = recheck.toMillis();
    }

    /** A docket of the register was sealed: its waiters check their conditions again. */
    public void sealed(String registerId) {
        Waiters w = waiters.get(registerId);
        if (w != null) {
            synchronized (w) {
                w.heard++;
                w.notifyAll();
            }
        }
    }

    /**
     * Waits until {@code done} holds, checking it first, then each time a docket of the register
     * is sealed, and at least every second.
     *
     * @return whether it holds; false when {@code wait} passed first
     */
    public boolean await(String registerId, Duration wait, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        Waiters w = waiters.compute(registerId, (id, existing) -> {
            Waiters joined = existing != null ? existing : new Waiters();
            synchronized (joined) {
                joined.waiting++;
            }
            return joined;
        });
        try {
            while (true) {
                long heard;
                synchronized (w) {
                    heard = w.heard;
                }
                if (done.getAsBoolean()) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                synchronized (w) {
                    if (w.heard == heard) {
                        w.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), recheckMillis)));
                    }
                }
            }
        } finally {
            waiters.computeIfPresent(registerId, (id, existing) -> {
                synchronized (existing) {
                    return --existing.waiting == 0 ? null : existing;
                }
            });
        }
    }
}
