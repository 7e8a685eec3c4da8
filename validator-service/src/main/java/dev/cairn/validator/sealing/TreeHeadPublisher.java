package dev.cairn.validator.sealing;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

import dev.cairn.ledger.SealingKeys;
import dev.cairn.validator.clients.RegisterClient;
import dev.cairn.validator.clients.SystemWallet;

/**
 * Signs a tree head after each docket the replica seals and hands it to the register, off the
 * sealing path: one thread, and per register only the latest head waits, so a busy register
 * gets a head per batch of dockets rather than one per docket. A head that could not be
 * published is tried again after a few seconds, unless a newer one replaced it; a leader taking a
 * register over publishes the head of the docket it continues from.
 */
@Component
class TreeHeadPublisher {

    /** A head to sign: the docket tree after a docket, and the keys in force for it and after it. */
    record Pending(String registerId, long treeSize, String rootHash, String latestHash, SealingKeys keysAt, SealingKeys keysAfter) {
    }

    private static final Logger log = LoggerFactory.getLogger(TreeHeadPublisher.class);
    private static final java.time.Duration RETRY = java.time.Duration.ofSeconds(5);

    private final DocketBuilder builder;
    private final SystemWallet wallet;
    private final RegisterClient registers;
    private final Clock clock;
    private final Map<String, Pending> waiting = new ConcurrentHashMap<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tree-head-publisher");
        t.setDaemon(true);
        return t;
    });
    private volatile Instant quietUntil = Instant.EPOCH;

    TreeHeadPublisher(DocketBuilder builder, SystemWallet wallet, RegisterClient registers, Clock clock) {
        this.builder = builder;
        this.wallet = wallet;
        this.registers = registers;
        this.clock = clock;
    }

    void submit(Pending head) {
        Pending before = waiting.put(head.registerId(), head);
        if (before == null) {
            try {
                thread.execute(() -> publish(head.registerId()));
            } catch (RejectedExecutionException e) {
                waiting.remove(head.registerId()); // shutting down
            }
        }
    }

    private void publish(String registerId) {
        Pending head = waiting.remove(registerId);
        if (head == null) {
            return;
        }
        try {
            Optional<SystemWallet.Wallet> signer = wallet.holderOf(head.keysAfter()).or(() -> wallet.holderOf(head.keysAt()));
            if (signer.isEmpty()) {
                return; // the register trusts none of our keys any more
            }
            if (!registers.publishHead(registerId, builder.head(registerId, head.treeSize(), head.rootHash(), head.latestHash(),
                    clock.instant(), signer.get()))) {
                log.warn("Register {} refused the tree head of {} dockets", registerId, head.treeSize());
            }
        } catch (RuntimeException e) {
            Instant now = clock.instant();
            if (now.isAfter(quietUntil)) {
                log.warn("Publishing the tree head of register {} failed, trying again in {} s: {}", registerId, RETRY.toSeconds(), e.toString());
                quietUntil = now.plusSeconds(10);
            }
            retry(head);
        }
    }

    /** Tries a head again later, unless a newer one is waiting by then. */
    private void retry(Pending head) {
        try {
            thread.schedule(() -> {
                waiting.compute(head.registerId(), (id, newer) -> newer != null && newer.treeSize() >= head.treeSize() ? newer : head);
                publish(head.registerId());
            }, RETRY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    @PreDestroy
    void stop() {
        thread.shutdownNow();
    }
}
