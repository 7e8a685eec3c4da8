package dev.cairn.platform.redis;

import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.scheduling.TaskScheduler;

/**
 * Starts a replica's Redis subscriptions (a listener container created with auto-start off)
 * once the application is ready, and keeps trying (1 s, doubling to 30 s) while Redis cannot
 * be reached, so that a replica starts and serves without Redis. The container is started only after a PING has
 * succeeded, so it never starts against an unreachable Redis; once subscribed, it recovers
 * from lost connections by itself.
 */
public class RedisSubscription {

    private static final Logger log = LoggerFactory.getLogger(RedisSubscription.class);
    private static final Duration FIRST_DELAY = Duration.ofSeconds(1);
    private static final Duration MAX_DELAY = Duration.ofSeconds(30);

    private final RedisConnectionFactory connections;
    private final RedisMessageListenerContainer container;
    private final TaskScheduler scheduler;
    private final String what;
    private Duration delay = FIRST_DELAY;
    private volatile boolean stopped;
    private final java.util.concurrent.atomic.AtomicInteger failedAttempts = new java.util.concurrent.atomic.AtomicInteger();

    /** {@code what} names the subscription in logs, e.g. "wallet changes". */
    public RedisSubscription(String what, RedisConnectionFactory connections, RedisMessageListenerContainer container,
            TaskScheduler scheduler) {
        this.what = what;
        this.connections = connections;
        this.container = container;
        this.scheduler = scheduler;
    }

    /**
     * A listener container for a subscription to start: it does not start with the application
     * context, since Redis may not be reachable then. Add the listeners, and declare it as a bean.
     */
    public static RedisMessageListenerContainer listenerContainer(RedisConnectionFactory connections) {
        RedisMessageListenerContainer container = new RedisMessageListenerContainer();
        container.setConnectionFactory(connections);
        container.setAutoStartup(false);
        return container;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void subscribe() {
        scheduler.schedule(this::attempt, Instant.now());
    }

    public boolean subscribed() {
        return container.isListening();
    }

    public void stop() {
        stopped = true;
    }

    /** Attempts to subscribe that failed (Redis not reachable yet), since start. */
    public int failedAttempts() {
        return failedAttempts.get();
    }

    private void attempt() {
        if (stopped) {
            return;
        }
        try {
            try (RedisConnection connection = connections.getConnection()) {
                connection.ping();
            }
            container.start();
            if (delay.compareTo(FIRST_DELAY) > 0) {
                log.info("Subscribed to {}", what);
            }
        } catch (RuntimeException e) {
            failedAttempts.incrementAndGet();
            log.warn("Cannot subscribe to {} yet ({}); trying again in {} s", what, rootMessage(e), delay.toSeconds());
            scheduler.schedule(this::attempt, Instant.now().plus(delay));
            delay = delay.multipliedBy(2).compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay.multipliedBy(2);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
