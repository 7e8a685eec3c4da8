package dev.cairn.validator.sealing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;

import dev.cairn.ledger.LedgerHashes;
import dev.cairn.ledger.SealingKeys;
import dev.cairn.platform.instance.InstanceIdentity;
import dev.cairn.platform.lease.Leases;
import dev.cairn.validator.clients.RegisterClient;
import dev.cairn.validator.clients.SystemWallet;
import dev.cairn.validator.config.ValidatorProperties;
import dev.cairn.validator.mempool.Mempool;

/**
 * Seals a register's next docket, for a replica that holds its lease ({@link SealingLoop} calls
 * it):
 * <ol>
 *   <li>starts from the register's head ({@link ChainHeads});</li>
 *   <li>seals the genesis docket if the register has none;</li>
 *   <li>takes pending transactions in arrival order once {@code docket.max-transactions} are
 *       waiting or the oldest has waited {@code docket.max-wait}, and chooses the docket's
 *       ({@link DocketSelection}), rejecting those that can never be sealed;</li>
 *   <li>builds the docket on the head, signs it with the system wallet, and writes it through
 *       the register service with the lease epoch; the register's height check decides any race;</li>
 *   <li>marks the docket's transactions sealed and moves the head on.</li>
 * </ol>
 */
@Component
class DocketSealer {

    /** What one turn did: a full docket was sealed and more is waiting; the register needs no genesis (any more); or neither yet. */
    enum Turn { MORE, SETTLED, WAITING }

    private static final Logger log = LoggerFactory.getLogger(DocketSealer.class);
    private static final Duration HALT = Duration.ofSeconds(30);
    private static final Pattern TRANSACTION_ID = Pattern.compile("[0-9a-f]{64}");

    private final Mempool mempool;
    private final Leases leases;
    private final RegisterClient registers;
    private final DocketBuilder builder;
    private final SystemWallet wallet;
    private final ChainHeads heads;
    private final Rejections rejections;
    private final ValidatorProperties properties;
    private final InstanceIdentity identity;
    private final JsonMapper json;
    private final Clock clock;
    private final ThrottledLog complaints;
    /** Registers whose stored history is not what this installation sealed: until when sealing them waits. */
    private final Map<String, Instant> halted = new ConcurrentHashMap<>();
    /** Registers whose last docket the register refused as invalid: the size their next dockets may have. */
    private final Map<String, Integer> shrunk = new ConcurrentHashMap<>();
    private final Counter mismatches;
    private final Counter dockets;
    private final Counter sealed;
    private final Timer signing;
    private final Timer writing;
    private final Timer marking;
    private final Timer waited;

    DocketSealer(Mempool mempool, Leases leases, RegisterClient registers, DocketBuilder builder, SystemWallet wallet, ChainHeads heads,
            Rejections rejections, ValidatorProperties properties, InstanceIdentity identity, JsonMapper json, Clock clock, MeterRegistry meters) {
        this.mempool = mempool;
        this.leases = leases;
        this.registers = registers;
        this.builder = builder;
        this.wallet = wallet;
        this.heads = heads;
        this.rejections = rejections;
        this.properties = properties;
        this.identity = identity;
        this.json = json;
        this.clock = clock;
        this.complaints = new ThrottledLog(log, clock);
        this.mismatches = Counter.builder("cairn.validator.history.mismatch")
                .description("times a register held another history than the one this installation sealed").register(meters);
        this.dockets = Counter.builder("cairn.validator.dockets.sealed").register(meters);
        this.sealed = Counter.builder("cairn.validator.transactions.sealed").register(meters);
        this.signing = Timer.builder("cairn.validator.docket.phase").tag("phase", "build-and-sign").register(meters);
        this.writing = Timer.builder("cairn.validator.docket.phase").tag("phase", "register-write").register(meters);
        this.marking = Timer.builder("cairn.validator.docket.phase").tag("phase", "mark-sealed").register(meters);
        this.waited = Timer.builder("cairn.validator.docket.oldest-wait")
                .description("from the arrival of a docket's oldest transaction until the docket is sealed").register(meters);
    }

    /** Stops sealing a register whose stored history is not the one sealed here, for a while, and says so. */
    void halt(String registerId, SealedChains.HistoryMismatch mismatch) {
        heads.forget(registerId);
        halted.put(registerId, clock.instant().plus(HALT));
        mismatches.increment();
        log.error("Not sealing register {}: {}. Check it with GET /api/registers/{}/verify; checking again in {} s", registerId,
                mismatch.getMessage(), registerId, HALT.toSeconds());
    }

    /** Seals the register's next docket under this lease, if one is due. */
    Turn seal(String registerId, Leases.Lease lease) {
        if (registers.register(registerId).map(RegisterClient.RegisterInfo::replica).orElse(false)) {
            // a read-only replica of another installation's register: neither listed as awaiting genesis nor
            // open to submissions, and the register service refuses its dockets; nothing of it is sealed here
            mempool.pending(registerId, properties.docket().maxTransactions()).forEach(entry -> rejections.reject(entry,
                    "the register is a read-only replica of another installation's register; submit on its home installation"));
            return Turn.SETTLED;
        }
        Instant haltedUntil = halted.get(registerId);
        if (haltedUntil != null) {
            if (clock.instant().isBefore(haltedUntil)) {
                return Turn.WAITING;
            }
            halted.remove(registerId);
        }
        ChainHeads.Head head = heads.current(registerId, lease.epoch());
        if (head.height() < 0) {
            return sealGenesis(registerId, lease) ? Turn.SETTLED : Turn.WAITING;
        }
        Optional<SystemWallet.Wallet> signer = wallet.holderOf(head.keys());
        if (signer.isEmpty()) {
            complaints.warn("Register " + registerId + " trusts none of this installation's sealing keys ({}); it cannot be sealed here",
                    new IllegalStateException(head.keys().toString()));
            return Turn.SETTLED;
        }
        int max = Math.min(properties.docket().maxTransactions(), shrunk.getOrDefault(registerId, Integer.MAX_VALUE));
        List<Mempool.Entry> pending = mempool.pending(registerId, max);
        if (pending.isEmpty()) {
            return Turn.SETTLED;
        }
        Instant now = clock.instant();
        if (pending.size() < max && pending.get(0).receivedAt().plus(properties.docket().maxWait()).isAfter(now)) {
            return Turn.SETTLED;
        }
        DocketSelection.Chosen chosen = DocketSelection.choose(pending, pending.size() == max, previousEntries(pending), head.keys(), now,
                new DocketSelection.Limits(properties.docket().maxBytes(), properties.maxAge()),
                txId -> registers.sealedHeight(registerId, txId).isPresent(), json);
        chosen.refusals().forEach(refusal -> rejections.reject(refusal.entry(), refusal.reason()));
        if (chosen.ids().isEmpty()) {
            return Turn.SETTLED;
        }
        Instant oldest = pending.get(0).receivedAt();
        boolean written = write(registerId, lease, head, signer.get(), chosen.ids(), chosen.transactions(), chosen.keysAfter(), oldest);
        return written && chosen.full() ? Turn.MORE : Turn.SETTLED;
    }

    /** {@code keysAfter}: the sealing keys after the docket, as computed here from its key changes. */
    private boolean write(String registerId, Leases.Lease lease, ChainHeads.Head head, SystemWallet.Wallet signer, List<String> ids,
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
            heads.sealedAt(registerId, ids, head, docket.path("hash").stringValue(), lease.epoch(), keysAfter, result.body());
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
        heads.forget(registerId);
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
        Matcher named = TRANSACTION_ID.matcher(result.detail());
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

    /** Seals the genesis docket; true once the register needs none (written now, or the register is gone). */
    private boolean sealGenesis(String registerId, Leases.Lease lease) {
        Optional<RegisterClient.RegisterInfo> register = registers.register(registerId);
        if (register.isEmpty()) {
            return true;
        }
        Instant now = clock.instant();
        SystemWallet.Wallet signer = wallet.newest();
        ObjectNode tx = builder.genesisTransaction(registerId, register.get().genesis(), now, signer);
        String txId = tx.path("txId").stringValue();
        ObjectNode docket = builder.docket(registerId, 0, LedgerHashes.GENESIS_PREVIOUS_HASH, List.of(txId), now, identity.id(), signer);
        if (!leases.valid(lease)) {
            return false;
        }
        RegisterClient.WriteResult result = registers.writeDocket(registerId, docket, List.of(tx), lease.epoch());
        if (result.written()) {
            mempool.recordSealed(registerId, txId, 0, now);
            SealingKeys pinned = SealingKeys.of(List.of(signer.key()));
            ChainHeads.Head before = new ChainHeads.Head(lease.epoch(), -1, LedgerHashes.GENESIS_PREVIOUS_HASH, pinned, List.of());
            heads.sealedAt(registerId, List.of(txId), before, docket.path("hash").stringValue(), lease.epoch(), pinned, result.body());
            dockets.increment();
            log.info("Sealed the genesis docket of register {}", registerId);
            return true;
        }
        heads.forget(registerId);
        if ("stale-lease".equals(result.problemType())) {
            leases.raiseAbove(registerId, result.body().path("currentEpoch").asLong(0));
        }
        return false;
    }

    private Map<String, Mempool.Entry> previousEntries(List<Mempool.Entry> pending) {
        List<String> wanted = pending.stream().map(Mempool.Entry::previousTxId).filter(p -> p != null).distinct().toList();
        Map<String, Mempool.Entry> found = new HashMap<>();
        if (!wanted.isEmpty()) {
            mempool.find(wanted).forEach(e -> found.put(e.txId(), e));
        }
        return found;
    }
}
