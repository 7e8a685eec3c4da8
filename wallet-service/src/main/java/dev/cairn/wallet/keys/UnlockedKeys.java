package dev.cairn.wallet.keys;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.cairn.wallet.store.Wallet;

import org.springframework.scheduling.annotation.Scheduled;

/**
 * Wallets whose private key was opened recently, so that a burst of signatures does not unwrap
 * the same key for every request. An entry lives {@code unlockedFor} after its last use, at most;
 * when it goes, its private key is overwritten. Changes made on any replica (delete, rename)
 * evict the entry on every replica ({@link #evict}, called through Redis pub/sub).
 */
public class UnlockedKeys {

    /** A wallet and its opened private key. */
    public record Unlocked(Wallet wallet, byte[] privateKey) {
        @Override
        public String toString() {
            return "Unlocked[" + wallet.address() + "]";
        }
    }

    private record Entry(Unlocked unlocked, Instant expiresAt) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Duration ttl;
    private final int max;
    private final Clock clock;

    public UnlockedKeys(Duration ttl, int max, Clock clock) {
        this.ttl = ttl;
        this.max = max;
        this.clock = clock;
    }

    public Unlocked get(String address, Function<String, Unlocked> open) {
        Instant now = clock.instant();
        Entry entry = entries.get(address);
        if (entry != null && entry.expiresAt().isAfter(now)) {
            return entry.unlocked();
        }
        Unlocked unlocked = open.apply(address);
        if (ttl.isZero() || unlocked == null) {
            return unlocked;
        }
        if (entries.size() >= max) {
            sweep();
        }
        Entry previous = entries.put(address, new Entry(unlocked, now.plus(ttl)));
        if (previous != null && previous.unlocked() != unlocked) {
            destroyLater(previous);
        }
        return unlocked;
    }

    public void evict(String address) {
        Entry removed = entries.remove(address);
        if (removed != null) {
            destroyLater(removed);
        }
    }

    @Scheduled(fixedDelayString = "${cairn.wallet.keys.sweep-interval:5s}")
    public void sweep() {
        Instant now = clock.instant();
        for (Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Entry> entry = it.next();
            if (!entry.getValue().expiresAt().isAfter(now) || entries.size() > max) {
                it.remove();
                destroyLater(entry.getValue());
            }
        }
    }

    public int size() {
        return entries.size();
    }

    /**
     * A request may still be signing with the key it just took out of the cache: overwrite the
     * key a moment later rather than under its feet.
     */
    private static void destroyLater(Entry entry) {
        java.util.concurrent.CompletableFuture.delayedExecutor(2, java.util.concurrent.TimeUnit.SECONDS)
                .execute(() -> Arrays.fill(entry.unlocked().privateKey(), (byte) 0));
    }
}
