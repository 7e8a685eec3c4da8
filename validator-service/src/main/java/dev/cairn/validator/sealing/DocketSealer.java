package dev.cairn.validator.sealing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.stereotype.Component;

import dev.cairn.platform.instance.InstanceIdentity;
import dev.cairn.platform.lease.Leases;
import dev.cairn.ledger.LedgerHashes;
import dev.cairn.ledger.MerkleTree;
import dev.cairn.ledger.SealingKeys;
import dev.cairn.validator.clients.SystemWallet;
import dev.cairn.validator.clients.RegisterClient;
import dev.cairn.validator.config.ValidatorProperties;
import dev.cairn.validator.mempool.Mempool;

/**
 * Turns pending transactions into dockets. A finder thread looks for registers with pending
 * transactions (or awaiting their genesis docket) every {@code poll-interval}; each goes to one
 * of {@code sealing-threads} sealer threads, so registers are sealed side by side and each by
 * one thread at a time. For a register whose lease this replica holds, a sealer:
 * <ol>
 *   <li>learns the register's head from the register service the first time it holds a lease
 *       epoch, and marks sealed every pending transaction that dockets since its last mark list
 *       (a leader may have died between writing a docket and marking it);</li>
 *   <li>seals the genesis docket if the register has none;</li>
 *   <li>takes pending transactions in arrival order once {@code docket.max-transactions} are
 *       waiting or the oldest has waited {@code docket.max-wait}, checks each again (age,
 *       previous transaction sealed or earlier in this docket), rejects those that fail and
 *       defers those whose previous transaction is still pending;</li>
 *   <li>builds the docket on the head, signs it with the system wallet, and writes it through
 *       the register service with the lease epoch; the register's height check decides any race;</li>
 *   <li>marks the docket's transactions sealed.</li>
 * </ol>
 */
@Component
public class DocketSealer {

    /**
     * The register's latest docket as this replica knows it, the sealing keys in force for the next,
     * and the docket tree after it as computed here (null until this installation sealed on it).
     */
    private record Head(long epoch, long height, String hash, SealingKeys keys, List<byte[]> frontier) {
    }

    private static final Logger log = LoggerFactory.getLogger(DocketSealer.class);
    private static final int RECONCILE_LIMIT = 1000;
    private static final Duration HALT = Duration.ofSeconds(30);

    private final Mempool mempool;
    private final Leases leases;
    private final RegisterClient registers;
    private final DocketBuilder builder;
    private final SystemWallet wallet;
    private final TreeHeadPublisher treeHeads;
    private final SealedChains sealedChains;
    private final Rejections rejections;
    /** Registers whose stored history is not what this installation sealed: until when sealing them waits. */
    private final Map<String, Instant> halted = new ConcurrentHashMap<>();
    private final Counter mismatches;
    private final ValidatorProperties properties;
    private final InstanceIdentity identity;
    private final JsonMapper json;
    private final Clock clock;
    private final MongoCollection<Document> marks;
    private final Map<String, Head> heads = new ConcurrentHashMap<>();
    /** Registers whose last docket the register refused as invalid: the size their next dockets may have. */
    private final Map<String, Integer> shrunk = new ConcurrentHashMap<>();
    private final Counter dockets;
    private final Counter sealed;
    private final Timer signing;
    private final Timer writing;
    private final Timer marking;
    private final Timer waited;
    private volatile Set<String> awaitingGenesis = ConcurrentHashMap.newKeySet();
    private volatile Instant nextGenesisPoll = Instant.EPOCH;
    private volatile boolean running = true;
    private volatile Instant quietUntil = Instant.EPOCH;
    private final Set<String> busy = ConcurrentHashMap.newKeySet();
    private final ExecutorService sealers;
    private Thread worker;

    public DocketSealer(Mempool mempool, Leases leases, RegisterClient registers, DocketBuilder builder, SystemWallet wallet,
            TreeHeadPublisher treeHeads, SealedChains sealedChains, Rejections rejections, ValidatorProperties properties,
            InstanceIdentity identity, JsonMapper json, Clock clock, MongoDatabaseFactory databases, MeterRegistry meters) {
        this.sealedChains = sealedChains;
        this.mismatches = Counter.builder("cairn.validator.history.mismatch")
                .description("times a register held another history than the one this installation sealed").register(meters);
        this.mempool = mempool;
        this.leases = leases;
        this.registers = registers;
        this.builder = builder;
        this.wallet = wallet;
        this.treeHeads = treeHeads;
        this.rejections = rejections;
        this.properties = properties;
        this.identity = identity;
        this.json = json;
        this.clock = clock;
        this.marks = databases.getMongoDatabase().getCollection("sealed_marks");
        this.dockets = Counter.builder("cairn.validator.dockets.sealed").register(meters);
        this.sealed = Counter.builder("cairn.validator.transactions.sealed").register(meters);
        this.signing = Timer.builder("cairn.validator.docket.phase").tag("phase", "build-and-sign").register(meters);
        this.writing = Timer.builder("cairn.validator.docket.phase").tag("phase", "register-write").register(meters);
        this.marking = Timer.builder("cairn.validator.docket.phase").tag("phase", "mark-sealed").register(meters);
        this.waited = Timer.builder("cairn.validator.docket.oldest-wait")
                .description("from the arrival of a docket's oldest transaction until the docket is sealed").register(meters);
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
            try {
                round();
            } catch (RuntimeException e) {
                complain("Looking for work failed, retrying: {}", e);
                pause(Duration.ofMillis(500));
            }
            pause(properties.pollInterval());
        }
    }

    /** Hands every register with work, and no sealer on it yet, to a sealer thread. */
    void round() {
        Instant now = clock.instant();
        if (!now.isBefore(nextGenesisPoll)) {
            nextGenesisPoll = now.plus(properties.genesisPollInterval());
            try {
                Set<String> found = ConcurrentHashMap.newKeySet();
                registers.awaitingGenesis(100).forEach(r -> found.add(r.id()));
                awaitingGenesis = found;
            } catch (RuntimeException e) {
                complain("Listing registers awaiting genesis failed: {}", e);
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
    }

    /** Seals the register's dockets while this replica holds its lease and full dockets are waiting. */
    private void sealWhileReady(String registerId) {
        try {
            boolean more = true;
            while (more && running) {
                Optional<Leases.Lease> lease = leases.hold(registerId);
                more = lease.isPresent() && seal(registerId, lease.get());
            }
        } catch (SealedChains.HistoryMismatch e) {
            heads.remove(registerId);
            halted.put(registerId, clock.instant().plus(HALT));
            mismatches.increment();
            log.error("Not sealing register {}: {}. Check it with GET /api/registers/{}/verify; checking again in {} s", registerId,
                    e.getMessage(), registerId, HALT.toSeconds());
        } catch (RuntimeException e) {
            heads.remove(registerId);
            complain("Sealing register " + registerId + " failed, retrying: {}", e);
        } finally {
            busy.remove(registerId);
        }
    }

    private void complain(String message, RuntimeException e) {
        Instant now = clock.instant();
        if (now.isAfter(quietUntil)) {
            log.warn(message, e.toString());
            quietUntil = now.plusSeconds(10);
        }
    }

    private boolean seal(String registerId, Leases.Lease lease) {
        if (registers.register(registerId).map(RegisterClient.RegisterInfo::replica).orElse(false)) {
            // a read-only replica of another installation's register: neither listed as awaiting genesis nor
            // open to submissions, and the register service refuses its dockets; nothing of it is sealed here
            awaitingGenesis.remove(registerId);
            mempool.pending(registerId, properties.docket().maxTransactions()).forEach(entry -> rejections.reject(entry,
                    "the register is a read-only replica of another installation's register; submit on its home installation"));
            return false;
        }
        Instant haltedUntil = halted.get(registerId);
        if (haltedUntil != null) {
            if (clock.instant().isBefore(haltedUntil)) {
                return false;
            }
            halted.remove(registerId);
        }
        Head head = heads.get(registerId);
        if (head == null || head.epoch() != lease.epoch()) {
            head = reconcile(registerId, lease.epoch());
        }
        if (head.height() < 0) {
            sealGenesis(registerId, lease);
            return false;
        }
        awaitingGenesis.remove(registerId);
        Optional<SystemWallet.Wallet> signer = wallet.holderOf(head.keys());
        if (signer.isEmpty()) {
            complain("Register " + registerId + " trusts none of this installation's sealing keys ({}); it cannot be sealed here",
                    new IllegalStateException(head.keys().toString()));
            return false;
        }
        int max = Math.min(properties.docket().maxTransactions(), shrunk.getOrDefault(registerId, Integer.MAX_VALUE));
        List<Mempool.Entry> pending = mempool.pending(registerId, max);
        if (pending.isEmpty()) {
            return false;
        }
        Instant now = clock.instant();
        if (pending.size() < max && pending.get(0).receivedAt().plus(properties.docket().maxWait()).isAfter(now)) {
            return false;
        }
        DocketSelection.Chosen chosen = DocketSelection.choose(pending, pending.size() == max, previousEntries(pending), head.keys(), now,
                new DocketSelection.Limits(properties.docket().maxBytes(), properties.maxAge()),
                txId -> registers.sealedHeight(registerId, txId).isPresent(), json);
        chosen.refusals().forEach(refusal -> rejections.reject(refusal.entry(), refusal.reason()));
        if (chosen.ids().isEmpty()) {
            return false;
        }
        Instant oldest = pending.get(0).receivedAt();
        return write(registerId, lease, head, signer.get(), chosen.ids(), chosen.transactions(), chosen.keysAfter(), oldest) && chosen.full();
    }

    /** {@code keysAfter}: the sealing keys after the docket, as computed here from its key changes. */
    private boolean write(String registerId, Leases.Lease lease, Head head, SystemWallet.Wallet signer, List<String> ids,
            List<JsonNode> transactions, SealingKeys keysAfter, Instant oldest) {
        long started = System.nanoTime();
        Instant now = clock.instant();
        long height = head.height() + 1;
        ObjectNode docket = builder.docket(registerId, height, head.hash(), ids, now, identity.id(), signer);
        long signed = System.nanoTime();
        if (!leases.valid(lease)) {
            return false;
        }
        RegisterClient.WriteResult result = registers.writeDocket(registerId, docket, transactions, lease.epoch());
        long written = System.nanoTime();
        if (result.written()) {
            if (ids.size() > 1) {
                shrunk.remove(registerId);
            }
            sealedAt(registerId, ids, head, docket.path("hash").stringValue(), lease.epoch(), keysAfter, result.body());
            dockets.increment();
            sealed.increment(ids.size());
            signing.record(signed - started, TimeUnit.NANOSECONDS);
            writing.record(written - signed, TimeUnit.NANOSECONDS);
            marking.record(System.nanoTime() - written, TimeUnit.NANOSECONDS);
            waited.record(Duration.between(oldest, clock.instant()));
            return true;
        }
        if (result.status() != 409) {
            refused(registerId, ids, transactions, result);
            return false;
        }
        log.info("Register {} refused docket {} ({}): {}", registerId, height, result.problemType(), result.detail());
        heads.remove(registerId);
        switch (result.problemType()) {
            case "stale-lease" -> leases.raiseAbove(registerId, result.body().path("currentEpoch").asLong(0));
            case "transaction-sealed" -> {
                String txId = result.body().path("txId").asString("");
                registers.sealedHeight(registerId, txId).ifPresent(at -> mempool.markSealed(registerId, List.of(txId), at, now));
            }
            default -> {
                // another docket took the height: the next round starts from the register's head
            }
        }
        return false;
    }

    /**
     * The register refused the docket as invalid (4xx other than 409), which sending it again will
     * not change. A transaction the register names is rejected with the register's reason; without
     * one, the next dockets of this register are made smaller until the culprit is alone in one,
     * and then it is rejected.
     */
    private void refused(String registerId, List<String> ids, List<JsonNode> transactions, RegisterClient.WriteResult result) {
        log.error("Register {} refused a docket of {} transactions as invalid ({} {}): {}", registerId, ids.size(), result.status(),
                result.problemType(), result.detail());
        java.util.regex.Matcher named = java.util.regex.Pattern.compile("[0-9a-f]{64}").matcher(result.detail());
        while (named.find()) {
            int index = ids.indexOf(named.group());
            if (index >= 0) {
                rejectRefused(registerId, ids.get(index), transactions.get(index), result);
                return;
            }
        }
        if (ids.size() == 1) {
            rejectRefused(registerId, ids.get(0), transactions.get(0), result);
            shrunk.remove(registerId);
        } else {
            shrunk.put(registerId, Math.max(1, ids.size() / 2));
        }
    }

    private void rejectRefused(String registerId, String txId, JsonNode tx, RegisterClient.WriteResult result) {
        Mempool.Entry entry = new Mempool.Entry(txId, registerId, Mempool.PENDING, tx.toString(), tx.path("previousTxId").asString(null),
                clock.instant(), null, null, null, null);
        rejections.reject(entry, "the register refused it: " + result.detail());
    }

    private void sealGenesis(String registerId, Leases.Lease lease) {
        Optional<RegisterClient.RegisterInfo> register = registers.register(registerId);
        if (register.isEmpty()) {
            awaitingGenesis.remove(registerId);
            return;
        }
        Instant now = clock.instant();
        SystemWallet.Wallet signer = wallet.newest();
        ObjectNode tx = builder.genesisTransaction(registerId, register.get().genesis(), now, signer);
        String txId = tx.path("txId").stringValue();
        ObjectNode docket = builder.docket(registerId, 0, LedgerHashes.GENESIS_PREVIOUS_HASH, List.of(txId), now, identity.id(), signer);
        if (!leases.valid(lease)) {
            return;
        }
        RegisterClient.WriteResult result = registers.writeDocket(registerId, docket, List.of(tx), lease.epoch());
        if (result.written()) {
            mempool.recordSealed(registerId, txId, 0, now);
            SealingKeys pinned = SealingKeys.of(List.of(signer.key()));
            Head before = new Head(lease.epoch(), -1, LedgerHashes.GENESIS_PREVIOUS_HASH, pinned, List.of());
            sealedAt(registerId, List.of(txId), before, docket.path("hash").stringValue(), lease.epoch(), pinned, result.body());
            awaitingGenesis.remove(registerId);
            dockets.increment();
            log.info("Sealed the genesis docket of register {}", registerId);
        } else {
            heads.remove(registerId);
            if ("stale-lease".equals(result.problemType())) {
                leases.raiseAbove(registerId, result.body().path("currentEpoch").asLong(0));
            }
        }
    }

    /**
     * Marks a docket's transactions sealed and moves the head on. The docket tree and the keys after
     * the docket are computed here, from the head before it and the key changes it seals; the
     * register's answer ({@code written}) must agree, or this installation stops sealing the
     * register ({@link SealedChains.HistoryMismatch}). Then the tree head is signed over what was
     * computed here.
     */
    private void sealedAt(String registerId, List<String> ids, Head before, String hash, long epoch, SealingKeys keysAfter, JsonNode written) {
        long height = before.height() + 1;
        mempool.markSealed(registerId, ids, height, clock.instant());
        marks.updateOne(Filters.eq("_id", registerId), Updates.combine(Updates.max("height", height), Updates.set("at", new Date())),
                new UpdateOptions().upsert(true));
        List<byte[]> frontier;
        if (before.frontier() != null) {
            frontier = MerkleTree.append(before.frontier(), height, LedgerHashes.bytes(hash));
            if (!LedgerHashes.hex(MerkleTree.frontierRoot(frontier)).equals(written.path("rootHash").asString())) {
                throw new SealedChains.HistoryMismatch("the register's docket tree after height " + height + " is not the one sealed here");
            }
        } else {
            // first docket this installation seals on the register: its tree so far is taken from the register
            frontier = new ArrayList<>();
            for (JsonNode node : written.path("frontier").values()) {
                frontier.add(LedgerHashes.bytes(node.asString()));
            }
        }
        JsonNode answered = written.path(SealingKeys.FIELD);
        if (answered.isArray() && !SealingKeys.parse(answered, "the register's sealing keys").equals(keysAfter)) {
            throw new SealedChains.HistoryMismatch("the register's sealing keys after height " + height + " are not those sealed here");
        }
        sealedChains.record(registerId, new SealedChains.Known(height, hash, frontier, keysAfter));
        heads.put(registerId, new Head(epoch, height, hash, keysAfter, frontier));
        treeHeads.submit(new TreeHeadPublisher.Pending(registerId, height + 1, LedgerHashes.hex(MerkleTree.frontierRoot(frontier)), hash,
                before.keys(), keysAfter));
    }

    /** The register's head, after marking sealed what dockets written since the last mark hold. */
    private Head reconcile(String registerId, long epoch) {
        Optional<JsonNode> latest = registers.latestDocket(registerId);
        if (latest.isEmpty()) {
            if (sealedChains.known(registerId).isPresent()) {
                throw new SealedChains.HistoryMismatch("the register has no dockets, but this installation sealed some");
            }
            Head head = new Head(epoch, -1, LedgerHashes.GENESIS_PREVIOUS_HASH, SealingKeys.of(List.of()), List.of());
            heads.put(registerId, head);
            return head;
        }
        long height = latest.get().path("height").asLong();
        Document mark = marks.find(Filters.eq("_id", registerId)).first();
        long marked = mark == null ? -1 : mark.get("height", Number.class).longValue();
        Instant now = clock.instant();
        for (long h = Math.max(marked + 1, height - RECONCILE_LIMIT); h <= height; h++) {
            JsonNode docket = h == height ? latest.get() : registers.docket(registerId, h);
            List<String> ids = new ArrayList<>();
            docket.path("transactionIds").values().forEach(id -> ids.add(id.asString()));
            mempool.markSealed(registerId, ids, h, now);
        }
        if (height > marked) {
            log.info("Register {} is at height {}; marked the transactions of dockets {} to {} sealed", registerId, height, marked + 1, height);
        }
        String hash = latest.get().path("hash").stringValue();
        marks.updateOne(Filters.eq("_id", registerId), Updates.combine(Updates.max("height", height), Updates.set("at", new Date())),
                new UpdateOptions().upsert(true));
        Head head = continued(registerId, epoch, height, hash);
        heads.put(registerId, head);
        return head;
    }

    /**
     * The head to seal on: the register's latest docket, which must continue what this installation
     * sealed last (the same docket at that height). When it is that very docket, the docket tree
     * and keys computed here carry on; dockets sealed after it elsewhere (a replica that died before
     * recording its docket) are taken from the register, and checked again from the next answer on.
     */
    private Head continued(String registerId, long epoch, long height, String hash) {
        Optional<SealedChains.Known> known = sealedChains.known(registerId);
        if (known.isPresent()) {
            SealedChains.Known last = known.get();
            if (height < last.height()) {
                throw new SealedChains.HistoryMismatch("the register is at height " + height + ", below height " + last.height()
                        + " that this installation sealed");
            }
            String stored = height == last.height() ? hash : registers.docket(registerId, last.height()).path("hash").asString("");
            if (!stored.equals(last.hash())) {
                throw new SealedChains.HistoryMismatch("the register's docket at height " + last.height() + " is not the one sealed here");
            }
            if (height == last.height()) {
                treeHeads.submit(new TreeHeadPublisher.Pending(registerId, height + 1, LedgerHashes.hex(MerkleTree.frontierRoot(last.frontier())),
                        hash, last.keys(), last.keys()));
                return new Head(epoch, height, hash, last.keys(), last.frontier());
            }
        }
        SealingKeys keys = registers.sealingKeys(registerId).orElseThrow(() -> new IllegalStateException("register " + registerId
                + " has a docket but no sealing keys"));
        return new Head(epoch, height, hash, keys, null);
    }

    private Map<String, Mempool.Entry> previousEntries(List<Mempool.Entry> pending) {
        List<String> wanted = pending.stream().map(Mempool.Entry::previousTxId).filter(p -> p != null).distinct().toList();
        Map<String, Mempool.Entry> found = new java.util.HashMap<>();
        if (!wanted.isEmpty()) {
            mempool.find(wanted).forEach(e -> found.put(e.txId(), e));
        }
        return found;
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
