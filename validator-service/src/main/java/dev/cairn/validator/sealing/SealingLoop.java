package dev.cairn.validator.sealing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.cairn.platform.lease.Leases;
import dev.cairn.validator.clients.RegisterClient;
import dev.cairn.validator.config.ValidatorProperties;
import dev.cairn.validator.mempool.Mempool;
import dev.cairn.validator.mempool.PendingWork;

/**
 * Finds the work and hands it out. A finder thread looks for registers with pending
 * transactions (or awaiting their genesis docket) every {@code poll-interval} while there is
 * work; when there is none, it waits for {@link PendingWork} to wake it (transactions arrived at
 * any replica) and looks on its own every {@code idle-poll-interval}. Each register goes to one
 * of {@code sealing-threads} sealer threads, so registers are sealed side by side and each by
 * one thread at a time, for as long as this replica holds the register's lease and full dockets
 * are waiting ({@link DocketSealer}).
 */
@Component
class SealingLoop {

    private static final Logger log = LoggerFactory.getLogger(SealingLoop.class);

    private final Mempool mempool;
    private final Leases leases;
    private final RegisterClient registers;
    private final DocketSealer sealer;
    private final ChainHeads heads;
    private final ValidatorProperties properties;
    private final Clock clock;
    private final ThrottledLog complaints;
    private final Set<String> busy = ConcurrentHashMap.newKeySet();
    private final ExecutorService sealers;
    private volatile Set<String> awaitingGenesis = ConcurrentHashMap.newKeySet();
    private volatile Instant nextGenesisPoll = Instant.EPOCH;
    private volatile boolean running = true;
    private final Semaphore wakeUps = new Semaphore(0);
    private Thread worker;

    SealingLoop(Mempool mempool, PendingWork pendingWork, Leases leases, RegisterClient registers, DocketSealer sealer, ChainHeads heads,
            ValidatorProperties properties, Clock clock) {
        this.mempool = mempool;
        this.leases = leases;
        this.registers = registers;
        this.sealer = sealer;
        this.heads = heads;
        this.properties = properties;
        this.clock = clock;
        this.complaints = new ThrottledLog(log, clock);
        pendingWork.onArrival(this::wake);
        AtomicInteger threads = new AtomicInteger();
        this.sealers = Executors.newFixedThreadPool(properties.sealingThreads(), task -> {
            Thread thread = new Thread(task, "docket-sealer-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        worker = new Thread(this::run, "docket-finder");
        worker.setDaemon(true);
        worker.start();
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        if (worker != null) {
            worker.interrupt();
            worker.join(10_000);
        }
        sealers.shutdown();
        sealers.awaitTermination(10, TimeUnit.SECONDS);
        leases.releaseAll();
    }

    private void run() {
        while (running) {
            boolean found = true;
            try {
                found = round();
            } catch (RuntimeException e) {
                complaints.warn("Looking for work failed, retrying: {}", e);
                pause(Duration.ofMillis(500));
            }
            awaitWork(found || !busy.isEmpty() ? properties.pollInterval() : idleWait());
        }
    }

    /** Nothing to do: until the next look for registers awaiting genesis, and at most {@code idle-poll-interval}. */
    private Duration idleWait() {
        Duration untilGenesisPoll = Duration.between(clock.instant(), nextGenesisPoll);
        Duration wait = untilGenesisPoll.compareTo(properties.idlePollInterval()) < 0 ? untilGenesisPoll : properties.idlePollInterval();
        return wait.compareTo(properties.pollInterval()) < 0 ? properties.pollInterval() : wait;
    }

    /** Wakes the finder now: transactions arrived here or at another replica. */
    void wake() {
        if (wakeUps.availablePermits() == 0) {
            wakeUps.release();
        }
    }

    private void awaitWork(Duration timeout) {
        try {
            wakeUps.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
            wakeUps.drainPermits();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Hands every register with work, and no sealer on it yet, to a sealer thread; whether there was any. */
    boolean round() {
        Instant now = clock.instant();
        if (!now.isBefore(nextGenesisPoll)) {
            nextGenesisPoll = now.plus(properties.genesisPollInterval());
            try {
                Set<String> found = ConcurrentHashMap.newKeySet();
                registers.awaitingGenesis(100).forEach(r -> found.add(r.id()));
                awaitingGenesis = found;
            } catch (RuntimeException e) {
                complaints.warn("Listing registers awaiting genesis failed: {}", e);
            }
        }
        Set<String> work = new LinkedHashSet<>(awaitingGenesis);
        work.addAll(mempool.registersWithPending());
        for (String registerId : work) {
            if (busy.add(registerId)) {
                try {
                    sealers.execute(() -> sealWhileReady(registerId));
                } catch (RejectedExecutionException e) {
                    busy.remove(registerId); // shutting down
                }
            }
        }
        return !work.isEmpty();
    }

    /** Seals the register's dockets while this replica holds its lease and full dockets are waiting. */
    private void sealWhileReady(String registerId) {
        try {
            DocketSealer.Turn turn = DocketSealer.Turn.MORE;
            while (turn == DocketSealer.Turn.MORE && running) {
                Optional<Leases.Lease> lease = leases.hold(registerId);
                if (lease.isEmpty()) {
                    break;
                }
                turn = sealer.seal(registerId, lease.get());
                if (turn != DocketSealer.Turn.WAITING) {
                    awaitingGenesis.remove(registerId);
                }
            }
        } catch (SealedChains.HistoryMismatch e) {
            sealer.halt(registerId, e);
        } catch (RuntimeException e) {
            heads.forget(registerId);
            complaints.warn("Sealing register " + registerId + " failed, retrying: {}", e);
        } finally {
            busy.remove(registerId);
        }
    }

    private void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
