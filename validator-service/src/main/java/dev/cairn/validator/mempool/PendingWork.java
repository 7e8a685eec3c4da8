package dev.cairn.validator.mempool;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;

import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Wakes the replicas' sealing loops when transactions arrive, so that an idle replica need not
 * look for work every few milliseconds: this replica's at once, the others' through Redis
 * ({@value #CHANNEL}, one message per register at most every {@code 100 ms}, sent off the request
 * thread). Pub/sub may lose a message, or Redis may be away: a loop also looks on its own, at
 * {@code cairn.validator.idle-poll-interval}.
 */
@Component
public class PendingWork implements MessageListener {

    public static final String CHANNEL = "cairn:validator:pending";

    private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int REMEMBERED = 10_000;

    private final StringRedisTemplate redis;
    private final Map<String, Long> announced = new ConcurrentHashMap<>();
    /** One thread, a short queue: a message that does not fit is dropped (the idle poll finds the work). */
    private final ThreadPoolExecutor publisher = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(64),
            runnable -> {
                Thread thread = new Thread(runnable, "pending-work-publisher");
                thread.setDaemon(true);
                return thread;
            }, new ThreadPoolExecutor.DiscardPolicy());
    private volatile Runnable wake = () -> {
    };

    public PendingWork(StringRedisTemplate redis) {
        this.redis = redis;
    }

    /** What to run when any replica got transactions: the sealing loop's wake-up. */
    public void onArrival(Runnable wake) {
        this.wake = wake;
    }

    /** Transactions of these registers are pending now. */
    public void arrived(Collection<String> registerIds) {
        if (registerIds.isEmpty()) {
            return;
        }
        wake.run();
        long now = System.nanoTime();
        if (announced.size() > REMEMBERED) {
            announced.clear();
        }
        for (String registerId : registerIds) {
            Long last = announced.get(registerId);
            if (last == null || now - last > QUIET_NANOS) {
                announced.put(registerId, now);
                publisher.execute(() -> publish(registerId));
            }
        }
    }

    private void publish(String registerId) {
        try {
            redis.convertAndSend(CHANNEL, registerId);
        } catch (RuntimeException e) {
            // the other replicas find the work at their next look of their own
        }
    }

    @Override
    public void onMessage(Message message, byte[] pattern) {
        wake.run(); // whichever register it names: the loop looks for all the work there is
    }

    @PreDestroy
    void stop() {
        publisher.shutdownNow();
    }
}
