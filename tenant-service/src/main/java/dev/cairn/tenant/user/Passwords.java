package dev.cairn.tenant.user;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

import dev.cairn.platform.problem.ApiException;

/**
 * Argon2id hashing of passwords and client secrets (OWASP parameters: 19 MiB, 2 iterations,
 * parallelism 1). {@link #burn()} spends the same time as a real check, so that a login for an
 * unknown email takes as long as one with a wrong password.
 *
 * <p>Each hash holds 19 MiB while it runs, so the number running at once is bounded by what the
 * heap affords (a quarter of it) and by the cores: a burst of sign-ins (every client of a
 * restarted installation at once) waits its turn instead of exhausting the heap. A caller that
 * waits longer than {@code maxWait} gets 503 with Retry-After.
 */
public class Passwords {

    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 128;
    static final int MEMORY_KIB = 19 * 1024;

    private final Argon2PasswordEncoder encoder = new Argon2PasswordEncoder(16, 32, 1, MEMORY_KIB, 2);
    private final Semaphore slots;
    private final Duration maxWait;
    private final String decoy;

    public Passwords() {
        this(new Semaphore(concurrencyFor(Runtime.getRuntime().maxMemory(), Runtime.getRuntime().availableProcessors()), true),
                Duration.ofSeconds(10));
    }

    Passwords(Semaphore slots, Duration maxWait) {
        this.slots = slots;
        this.maxWait = maxWait;
        this.decoy = encoder.encode("decoy password that never matches");
    }

    /** How many hashes may run at once in a heap of {@code maxHeapBytes} on {@code cores} cores. */
    static int concurrencyFor(long maxHeapBytes, int cores) {
        long byHeap = maxHeapBytes / 4 / (MEMORY_KIB * 1024L);
        return (int) Math.max(1, Math.min(byHeap, 2L * cores));
    }

    public String hash(String password) {
        return bounded(() -> encoder.encode(password));
    }

    public boolean matches(String password, String hash) {
        return password != null && hash != null && bounded(() -> encoder.matches(password, hash));
    }

    public void burn() {
        bounded(() -> encoder.matches("not the decoy password", decoy));
    }

    /**
     * The service's own start-up work, which must not fail because clients are signing in: waits for
     * a slot for as long as it takes (the other services of a restarted installation all ask this
     * replica for tokens while it starts).
     */
    public Patient patiently() {
        return new Patient();
    }

    /** {@link #hash} and {@link #matches} that wait for a slot instead of answering 503. */
    public final class Patient {

        private Patient() {
        }

        public String hash(String password) {
            return waiting(() -> encoder.encode(password));
        }

        public boolean matches(String password, String hash) {
            return password != null && hash != null && waiting(() -> encoder.matches(password, hash));
        }
    }

    private <T> T bounded(Supplier<T> work) {
        boolean acquired;
        try {
            acquired = slots.tryAcquire(maxWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy();
        }
        if (!acquired) {
            throw busy();
        }
        return holding(work);
    }

    private <T> T waiting(Supplier<T> work) {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to check a password", e);
        }
        return holding(work);
    }

    private <T> T holding(Supplier<T> work) {
        try {
            return work.get();
        } finally {
            slots.release();
        }
    }

    private static ApiException busy() {
        ApiException e = new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "passwords-busy", "Service Unavailable",
                "Too many sign-ins are being checked at once; try again shortly");
        e.getHeaders().set("Retry-After", "1");
        return e;
    }
}
