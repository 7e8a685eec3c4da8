package dev.cairn.platform.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.task.support.TaskExecutorAdapter;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.scheduling.TaskScheduler;

/**
 * A replica's subscription to Redis channels, through a listener container of its own. It
 * starts once the application is ready, and keeps trying (1 s, doubling to 30 s) while Redis
 * cannot be reached, so that a replica starts and serves without Redis. The container is
 * started only after a PING has succeeded, so it never starts against an unreachable Redis;
 * once subscribed, it recovers from lost connections by itself. Messages are handed to the
 * listeners on a fixed number of threads (the container's default starts a thread for every
 * message); one thread keeps them in the order Redis delivered them.
 */
public class RedisSubscription {

    private static final Logger log = LoggerFactory.getLogger(RedisSubscription.class);
    private static final Duration FIRST_DELAY = Duration.ofSeconds(1);
    private static final Duration MAX_DELAY = Duration.ofSeconds(30);

    private final RedisConnectionFactory connections;
    private final RedisMessageListenerContainer container;
    private final TaskScheduler scheduler;
    private final ExecutorService executor;
    private final String what;
    private Duration delay = FIRST_DELAY;
    private volatile boolean stopped;
    private final AtomicInteger failedAttempts = new AtomicInteger();

    /**
     * A subscription whose listeners {@code listeners} adds to the container (with their channels
     * or patterns), run on {@code threads} threads named {@code threadName-N}. {@code what} names
     * the subscription in logs, e.g. "wallet changes". Declare it as a bean with
     * {@code destroyMethod = "stop"}.
     */
    public static RedisSubscription create(String what, String threadName, int threads, RedisConnectionFactory connections,
            TaskScheduler scheduler, Consumer<RedisMessageListenerContainer> listeners) {
        AtomicInteger count = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, threadName + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        RedisMessageListenerContainer container = new RedisMessageListenerContainer();
        container.setConnectionFactory(connections);
        container.setAutoStartup(false); // started by attempt(), once Redis answers
        container.setTaskExecutor(new TaskExecutorAdapter(executor));
        listeners.accept(container);
        container.afterPropertiesSet();
        return new RedisSubscription(what, connections, container, scheduler, executor);
    }

    private RedisSubscription(String what, RedisConnectionFactory connections, RedisMessageListenerContainer container,
            TaskScheduler scheduler, ExecutorService executor) {
        this.what = what;
        this.connections = connections;
        this.container = container;
        this.scheduler = scheduler;
        this.executor = executor;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void subscribe() {
        scheduler.schedule(this::attempt, Instant.now());
    }

    public boolean subscribed() {
        return container.isListening();
    }

    /** Unsubscribes and stops the listeners' threads. */
    public void stop() {
        stopped = true;
        try {
            container.destroy();
        } catch (Exception e) {
            log.warn("Stopping the subscription to {}: {}", what, e.getMessage());
        }
        executor.shutdownNow();
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
