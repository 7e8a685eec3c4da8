package dev.cairn.peer.replication;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.util.RawValue;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.cairn.ledger.ChainRules;
import dev.cairn.ledger.SealingKeys;
import dev.cairn.peer.clients.PeerClient;
import dev.cairn.peer.clients.RegisterService;
import dev.cairn.peer.config.PeerProperties;
import dev.cairn.peer.membership.PeerDirectory;
import dev.cairn.platform.http.ServiceHttp;
import dev.cairn.platform.lease.Leases;

/**
 * Replicates subscribed registers. For each active subscription one replica of the
 * installation holds the lease {@code replicate:<registerId>} and runs its loop; any replica may
 * take over when the holder stops. Each turn of the loop:
 * <ol>
 *   <li>reads the replica register's stored height {@code h} (the resume point: nothing else is trusted);</li>
 *   <li>asks the source for dockets from {@code h} (the stored one again, to compare) in a bounded
 *       batch, waiting for new ones when caught up (long poll);</li>
 *   <li>refuses an answer with more dockets than asked, other heights, or another register;</li>
 *   <li>compares the source's docket at {@code h} with the stored one: another docket, validly
 *       signed by a sealing key of the register, is evidence of divergence (kept; the
 *       subscription stops as {@code diverged}); one that is not is tampered data;</li>
 *   <li>checks that each docket comes with the transactions it lists, and hands the batch, with the
 *       signed head when the batch reaches it, to the register service, which checks it whole
 *       (hashes, signatures, Merkle roots, links, sealing keys, the pinned genesis, the head)
 *       against the stored chain before storing any of it.</li>
 * </ol>
 * While a batch is being stored, the next one is already asked for when the source has more (from
 * the batch's last docket), so that the two installations work at once; it is used only when that
 * docket is then the stored latest. Tampered data is refused with its reason, and the source is
 * penalised (banned for a while).
 */
@Component
public class Replicator {

    private static final Logger log = LoggerFactory.getLogger(Replicator.class);
    /** The most JSON sent to the register service in one request: below its request size limit (2 MB by default). */
    private static final long PART_BYTES = 1_500_000;

    private final Subscriptions subscriptions;
    private final PeerDirectory directory;
    private final PeerClient peers;
    private final RegisterService registers;
    private final Evidence evidence;
    private final Leases leases;
    private final PeerProperties properties;
    private final JsonMapper json;
    private final MeterRegistry meters;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "replication");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Leases.Lease> running = new ConcurrentHashMap<>();
    /** The registers whose loop runs in this replica: at most one loop each, whichever lease it follows under. */
    private final Set<String> looping = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicLong> lag = new ConcurrentHashMap<>();
    /** The next batch, asked for while the one before it is being stored, per register. */
    private final Map<String, Prefetch> prefetched = new ConcurrentHashMap<>();
    /** The reason last logged for a stalled register, until it progresses again. */
    private final Map<String, String> lastLogged = new ConcurrentHashMap<>();
    /** The size of the latest head this replica handed to the register service, per register. */
    private final Map<String, Long> heads = new ConcurrentHashMap<>();
    private final Counter dockets;
    private final Counter transactions;
    private volatile boolean stopping;

    public Replicator(Subscriptions subscriptions, PeerDirectory directory, PeerClient peers, RegisterService registers, Evidence evidence,
            Leases leases, PeerProperties properties, JsonMapper json, MeterRegistry meters) {
        this.subscriptions = subscriptions;
        this.directory = directory;
        this.peers = peers;
        this.registers = registers;
        this.evidence = evidence;
        this.leases = leases;
        this.properties = properties;
        this.json = json;
        this.meters = meters;
        this.dockets = Counter.builder("cairn.replication.dockets").description("Dockets replicated from other installations").register(meters);
        this.transactions = Counter.builder("cairn.replication.transactions").description("Transactions replicated").register(meters);
    }

    /** Renews the leases of the loops this replica runs, and starts a loop for each subscription whose lease it takes. */
    @Scheduled(fixedDelayString = "${cairn.peer.sync-interval:1s}", initialDelayString = "1s")
    void schedule() {
        if (stopping) {
            return;
        }
        try {
            Set<String> active = new HashSet<>();
            for (Subscriptions.Subscription s : subscriptions.active()) {
                active.add(s.registerId());
                Optional<Leases.Lease> lease = leases.hold(key(s.registerId()));
                if (lease.isEmpty()) {
                    running.remove(s.registerId());
                    continue;
                }
                running.put(s.registerId(), lease.get());
                if (looping.add(s.registerId())) {
                    workers.execute(() -> follow(s.registerId()));
                }
            }
            running.keySet().removeIf(id -> !active.contains(id));
        } catch (RuntimeException e) {
            log.warn("Replication scheduling failed: {}", e.getMessage());
        }
    }

    @PreDestroy
    void stop() {
        stopping = true;
        workers.shutdownNow();
        leases.releaseAll();
    }

    private static String key(String registerId) {
        return "replicate:" + registerId;
    }

    private boolean holds(String registerId) {
        Leases.Lease lease = running.get(registerId);
        return lease != null && leases.valid(lease);
    }

    private void follow(String registerId) {
        try {
            int failures = 0;
            while (!stopping && holds(registerId)) {
                Optional<Subscriptions.Subscription> s = subscriptions.find(registerId);
                if (s.isEmpty() || s.get().state() == Subscriptions.State.DIVERGED || s.get().state() == Subscriptions.State.STOPPED) {
                    return;
                }
                boolean ok;
                try {
                    ok = turn(s.get());
                } catch (RuntimeException e) {
                    stalled(registerId, e.getMessage() != null ? e.getMessage() : e.toString());
                    ok = false;
                }
                failures = ok ? 0 : failures + 1;
                if (failures > 0) {
                    Thread.sleep(Math.min(10_000, 500L << Math.min(failures, 5)));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            looping.remove(registerId);
            Prefetch next = prefetched.remove(registerId);
            if (next != null) {
                next.answer().cancel(true);
            }
        }
    }

    /**
     * The subscription is stalled for {@code reason}: recorded (shown by {@code GET /api/peers/registers})
     * and logged when the reason differs from the one logged last for the register, so that a long
     * outage of the source is one log line, not one a turn.
     */
    private void stalled(String registerId, String reason) {
        subscriptions.failed(registerId, Subscriptions.State.STALLED, reason);
        if (!reason.equals(lastLogged.put(registerId, reason))) {
            log.warn("Replicating register {}: {}", registerId, reason);
        }
    }

    private void resumed(String registerId, long height) {
        if (lastLogged.remove(registerId) != null) {
            log.info("Replicating register {}: going again at height {}", registerId, height);
        }
    }

    /** A batch asked for ahead: from which height, of which source, and its answer to come. */
    private record Prefetch(long from, String sourceNodeId, CompletableFuture<PeerClient.Answer> answer) {
    }

    /**
     * How many dockets to ask for from {@code from}: the batch size, and one more when the first is
     * the docket this replica holds (asked for again only to compare it), within the protocol's
     * maximum. Without that one more, a batch size of 1 would only ever bring back the held docket.
     */
    private int limit(long from, long stored) {
        return Math.min(PeerProperties.MAX_BATCH_DOCKETS, properties.batchDockets() + (from == stored ? 1 : 0));
    }

    private PeerClient.Answer ask(PeerDirectory.Peer source, String registerId, long from, int limit, int wait) {
        ObjectNode ask = json.createObjectNode().put("registerId", registerId).put("from", from).put("limit", limit)
                .put("waitSeconds", wait);
        return peers.call(source.url(), source.nodeId(), "dockets", ask, Duration.ofSeconds(wait + 15L));
    }

    /** The answer for a batch from {@code from}: the one asked for ahead when it is that batch from that source, else asked now. */
    private PeerClient.Answer answer(PeerDirectory.Peer source, String registerId, long from, int limit, int wait) {
        Prefetch next = prefetched.remove(registerId);
        if (next != null && next.from() == from && next.sourceNodeId().equals(source.nodeId())) {
            try {
                return next.answer().join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException cause) {
                    throw cause;
                }
                throw e;
            }
        }
        if (next != null) {
            next.answer().cancel(true);
        }
        return ask(source, registerId, from, limit, wait);
    }

    /** One turn; false when it failed (the caller backs off). */
    boolean turn(Subscriptions.Subscription s) {
        String id = s.registerId();
        JsonNode local = registers.register(id).orElseThrow(() -> new IllegalStateException("the replica register " + id + " is missing"));
        long stored = local.path("height").asLong(-1);
        PeerDirectory.Peer source = directory.find(s.sourceNodeId()).orElse(null);
        if (source == null || source.url() == null) {
            stalled(id, "the source node " + s.sourceNodeId() + " is not known");
            return false;
        }
        if (source.state() == PeerDirectory.State.BANNED) {
            stalled(id, "the source node is banned until " + source.bannedUntil());
            return false;
        }
        long from = Math.max(0, stored);
        int asked = limit(from, stored);
        int wait = s.state() == Subscriptions.State.FOLLOWING ? (int) Math.min(30, properties.longPoll().toSeconds()) : 0;
        PeerClient.Answer answer;
        try {
            answer = answer(source, id, from, asked, wait);
        } catch (PeerClient.PeerCallException e) {
            if (e.status() == 0 && !"unreachable".equals(e.type())) {
                return refuse(s, stored + 1, "the answer was not believable: " + e.getMessage());
            }
            stalled(id, e.getMessage());
            return false;
        }
        JsonNode body = answer.body();
        JsonNode served = body.path("dockets");
        long remoteHeight = body.path("sealedHeight").asLong(-1);
        JsonNode head = body.path("head").isObject() ? body.path("head") : null;
        lag(id).set(Math.max(0, remoteHeight - stored));
        String shape = shapeProblem(id, served, from, asked);
        if (shape != null) {
            return refuse(s, from, shape);
        }
        ArrayNode batch = json.createArrayNode();
        for (JsonNode item : served.values()) {
            long height = item.path("docket").path("height").asLong();
            if (height == stored) {
                if (!item.path("docket").path("hash").asString("").equals(local.path("latestDocketHash").asString())) {
                    return diverged(s, stored, item.path("docket"));
                }
                continue; // the docket this replica holds: the same
            }
            String problem = recordProblem(item);
            if (problem != null) {
                return refuse(s, height, problem);
            }
            batch.add(item);
        }
        if (batch.isEmpty()) {
            if (head != null && head.path("treeSize").asLong() - 1 <= stored && head.path("treeSize").asLong() > headKept(id)) {
                // a head signed after the dockets it covers were stored here
                ServiceHttp.Answer kept = registers.postHead(id, head);
                if (kept.status() == 400 || kept.status() == 409) {
                    return refuse(s, head.path("treeSize").asLong() - 1, "the signed tree head: " + kept.body().path("detail").asString(""));
                }
                if (kept.ok()) {
                    heads.put(id, head.path("treeSize").asLong());
                }
            }
            subscriptions.progressed(id, remoteHeight > stored ? Subscriptions.State.SYNCING : Subscriptions.State.FOLLOWING, stored,
                    remoteHeight, 0, 0);
            resumed(id, stored);
            return true;
        }
        long last = batch.get(batch.size() - 1).path("docket").path("height").asLong();
        JsonNode headForBatch = head != null && head.path("treeSize").asLong() - 1 <= last && head.path("treeSize").asLong() - 1 > stored ? head
                : null;
        if (remoteHeight > last) {
            // more to pull: ask for the next batch (from this batch's last docket, to compare it) while this one is stored
            prefetched.put(id, new Prefetch(last, source.nodeId(), CompletableFuture.supplyAsync(() -> ask(source, id, last, limit(last, last), 0), workers)));
        }
        ServiceHttp.Answer written = writeInParts(id, batch, headForBatch);
        if (written.status() == 200) {
            if (headForBatch != null) {
                heads.put(id, headForBatch.path("treeSize").asLong());
            }
            int count = 0;
            for (JsonNode item : batch.values()) {
                count += item.path("transactions").size();
            }
            dockets.increment(batch.size());
            transactions.increment(count);
            long now = written.body().path("height").asLong(last);
            lag(id).set(Math.max(0, remoteHeight - now));
            subscriptions.progressed(id, now >= remoteHeight ? Subscriptions.State.FOLLOWING : Subscriptions.State.SYNCING, now, remoteHeight,
                    batch.size(), count);
            resumed(id, now);
            return true;
        }
        String type = PeerClient.typeOf(written.body().path("type").asString(""));
        String detail = written.body().path("detail").asString("");
        if (written.status() == 400) {
            return refuse(s, written.body().path("height").asLong(stored + 1), detail);
        }
        if (written.status() == 409 && "height-taken".equals(type)) {
            long height = written.body().path("height").asLong(stored);
            for (JsonNode item : batch.values()) {
                if (item.path("docket").path("height").asLong() == height) {
                    return diverged(s, height, item.path("docket"));
                }
            }
        }
        stalled(id, "register-service answered " + written.status() + " " + type + ": " + detail);
        return false;
    }

    /**
     * Hands the batch to the register service in parts that fit its request size (about 1.5 MB of
     * JSON each), in order; the head goes with the last part. Stops at the first part refused.
     */
    private ServiceHttp.Answer writeInParts(String id, ArrayNode batch, JsonNode head) {
        ArrayNode part = json.createArrayNode();
        long size = 0;
        for (int i = 0; i < batch.size(); i++) {
            // each docket is written out once: the part holds its JSON text, which the request body copies
            String text = json.writeValueAsString(batch.get(i));
            JsonNode item = JsonNodeFactory.instance.rawValueNode(new RawValue(text));
            long itemSize = text.length();
            if (!part.isEmpty() && size + itemSize > PART_BYTES) {
                ServiceHttp.Answer answer = registers.writeReplica(id, part, null);
                if (answer.status() != 200) {
                    return answer;
                }
                part = json.createArrayNode();
                size = 0;
            }
            part.add(item);
            size += itemSize;
        }
        return registers.writeReplica(id, part, head);
    }

    /** Whether the served batch is what was asked for: this register, contiguous heights from {@code from}, no more than asked. */
    private String shapeProblem(String registerId, JsonNode served, long from, int asked) {
        if (!served.isArray()) {
            return "the answer holds no list of dockets";
        }
        if (served.size() > asked) {
            return "an unasked-for batch: " + served.size() + " dockets, " + asked + " asked for";
        }
        long expected = from;
        for (JsonNode item : served.values()) {
            JsonNode docket = item.path("docket");
            if (!registerId.equals(docket.path("registerId").asString(null)) || docket.path("height").asLong(-1) != expected) {
                return "an unasked-for batch: expected docket " + expected + " of register " + registerId;
            }
            expected++;
        }
        return null;
    }

    /**
     * What the batch must hold for each docket before it is handed on: an object with the
     * transactions the docket lists, in its order. The cryptographic checks (hashes, signatures,
     * Merkle roots, sealing keys, the head) are made once, by the register service, on the whole
     * batch before it stores any of it; a refusal there names the height and the reason, and the
     * source is penalised the same way.
     */
    private static String recordProblem(JsonNode item) {
        JsonNode docket = item.path("docket");
        if (!docket.isObject()) {
            return "a docket is not a JSON object";
        }
        List<String> ids = ChainRules.transactionIds(docket);
        JsonNode transactions = item.path("transactions");
        if (!transactions.isArray() || transactions.size() != ids.size()) {
            return "the docket lists " + ids.size() + " transactions and " + transactions.size() + " were served";
        }
        for (int i = 0; i < ids.size(); i++) {
            if (!ids.get(i).equals(transactions.get(i).path("txId").asString(null))) {
                return "transaction " + ids.get(i) + " is missing or out of order";
            }
        }
        return null;
    }

    private boolean refuse(Subscriptions.Subscription s, long height, String reason) {
        String text = "refused data from node " + s.sourceNodeId() + " at height " + height + ": " + reason;
        log.warn("Register {}: {}", s.registerId(), text);
        // the subscription's state first: whoever sees the source banned sees why
        subscriptions.failed(s.registerId(), Subscriptions.State.STALLED, text);
        directory.penalise(s.sourceNodeId(), reason);
        meters.counter("cairn.peer.refused", "reason", category(reason)).increment();
        return false;
    }

    /**
     * The source served a docket at a height this replica holds with another hash. Validly signed by
     * a key of the register, it proves the sealers showed two histories: kept as evidence, and the
     * subscription stops. Otherwise it is tampered data.
     */
    private boolean diverged(Subscriptions.Subscription s, long height, JsonNode offered) {
        if (ChainRules.docketSelfProblem(offered) != null || !signedByKeyOfRegister(s.registerId(), offered)) {
            return refuse(s, height, "another docket than the one stored at height " + height + ", not validly signed by a sealing key of the register");
        }
        JsonNode held = registers.docket(s.registerId(), height).map(d -> d.path("docket").isObject() ? d.path("docket") : d)
                .orElse(json.createObjectNode());
        evidence.record(s.registerId(), height, held, offered, s.sourceNodeId());
        meters.counter("cairn.replication.evidence").increment();
        subscriptions.failed(s.registerId(), Subscriptions.State.DIVERGED, "node " + s.sourceNodeId()
                + " served another validly signed docket at height " + height + " (" + offered.path("hash").asString() + "); evidence kept");
        subscriptions.setState(s.registerId(), Subscriptions.State.DIVERGED);
        log.error("Register {} diverged at height {}: evidence kept; replication stopped until an operator decides", s.registerId(), height);
        return false;
    }

    private boolean signedByKeyOfRegister(String registerId, JsonNode docket) {
        Optional<SealingKeys.Key> signer = SealingKeys.Key.signerOf(docket);
        if (signer.isEmpty()) {
            return false;
        }
        JsonNode keys = registers.sealingKeys(registerId).orElse(json.createObjectNode());
        Set<String> ids = new HashSet<>();
        keys.path("sealingKeys").values().forEach(k -> ids.add(k.path("id").asString()));
        keys.path("changes").values().forEach(c -> {
            JsonNode change = c.path("transaction").path("payload").path(SealingKeys.FIELD);
            change.path("add").values().forEach(k -> ids.add(k.path("id").asString()));
            change.path("retire").values().forEach(k -> ids.add(k.isString() ? k.asString() : k.path("id").asString()));
        });
        registers.docket(registerId, 0).ifPresent(g -> SealingKeys.Key.signerOf(g.path("docket").isObject() ? g.path("docket") : g)
                .ifPresent(k -> ids.add(k.id())));
        return ids.contains(signer.get().id());
    }

    private static String category(String reason) {
        if (reason.contains("signature")) {
            return "signature";
        }
        if (reason.contains("hash") || reason.contains("Merkle") || reason.contains("id does not match")) {
            return "hash";
        }
        if (reason.contains("sealing key")) {
            return "signer";
        }
        if (reason.contains("head")) {
            return "head";
        }
        if (reason.contains("unasked-for")) {
            return "unasked";
        }
        return "other";
    }

    private long headKept(String registerId) {
        return heads.getOrDefault(registerId, 0L);
    }

    private AtomicLong lag(String registerId) {
        return lag.computeIfAbsent(registerId, id -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("cairn.replication.lag.dockets", value, AtomicLong::get).tag("register", id)
                    .description("Dockets the source holds that this replica does not yet").register(meters);
            return value;
        });
    }
}
