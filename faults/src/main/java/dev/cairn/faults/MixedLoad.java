package dev.cairn.faults;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import dev.cairn.faults.Timeline.Kind;
import dev.cairn.testsupport.LedgerFixture;

/**
 * The steady mixed load of one scenario, through the front as users send it: transactions
 * signed beforehand by their client and submitted singly and in batches over the registers,
 * wallet signatures, register reads, and purchase orders run to completion by workflow clients.
 * Each request goes once, with a deadline, and is recorded on the timeline; what the suite
 * acknowledged is kept for the ledger check. A workflow client alone repeats an action that got
 * no answer, with its idempotency key, as the console does.
 */
public final class MixedLoad implements AutoCloseable {

    /** How much of each kind, per second; {@code workflowClients} run purchase orders one after another. */
    public record Plan(int singlesPerSecond, int batchesPerSecond, int batchSize, int signaturesPerSecond, int readsPerSecond, int workflowClients) {
    }

    /** A workflow step the suite acknowledged (202) with the transaction it will seal. */
    record Step(String instanceId, int actionId, String registerId, String txId) {
    }

    private static final String ORDER = "{\"item\":\"bolts\",\"quantity\":10,\"unitPrice\":150}";
    private static final String DELIVERY = "{\"deliveryDate\":\"2026-12-24\"}";

    private final Fixture fixture;
    private final Timeline timeline;
    private final LedgerFixture client = new LedgerFixture();
    private final ScheduledExecutorService pacer = Executors.newScheduledThreadPool(2, daemon("faults-load"));
    private final List<Thread> workflowClients = new ArrayList<>();
    private final AtomicInteger sequence = new AtomicInteger();
    /** Requests sent and not answered yet. */
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean running = true;

    /** Per register, every transaction the suite acknowledged during this load. */
    final Map<String, Set<String>> acknowledged = new ConcurrentHashMap<>();
    final List<Step> steps = new CopyOnWriteArrayList<>();
    /** Instances whose next action did not become current within a minute of the step before. */
    final AtomicInteger stalledInstances = new AtomicInteger();

    MixedLoad(Fixture fixture, Timeline timeline, Plan plan) {
        this.fixture = fixture;
        this.timeline = timeline;
        fixture.registers.forEach(r -> acknowledged.put(r, ConcurrentHashMap.newKeySet()));
        every(plan.singlesPerSecond(), this::single);
        every(plan.batchesPerSecond(), () -> batch(plan.batchSize()));
        every(plan.signaturesPerSecond(), this::sign);
        every(plan.readsPerSecond(), this::read);
        for (int i = 0; i < plan.workflowClients(); i++) {
            Thread thread = new Thread(this::runWorkflows, "faults-workflow-" + i);
            thread.setDaemon(true);
            thread.start();
            workflowClients.add(thread);
        }
    }

    int acknowledgedCount() {
        return acknowledged.values().stream().mapToInt(Set::size).sum();
    }

    private void every(int perSecond, Runnable send) {
        if (perSecond > 0) {
            pacer.scheduleAtFixedRate(() -> {
                try {
                    send.run();
                } catch (RuntimeException e) {
                    // a request that could not even be built or sent is recorded by the sender; the load goes on
                }
            }, 0, 1_000_000 / perSecond, TimeUnit.MICROSECONDS);
        }
    }

    private String nextRegister() {
        return fixture.registers.get(Math.floorMod(sequence.getAndIncrement(), fixture.registers.size()));
    }

    private void single() {
        String registerId = nextRegister();
        ObjectNode tx = client.action(registerId, sequence.get());
        submit(Kind.SINGLE, "/api/transactions", tx.toString(), registerId, List.of(tx.path("txId").asString()));
    }

    private void batch(int size) {
        String registerId = nextRegister();
        ObjectNode body = Api.JSON.createObjectNode();
        ArrayNode transactions = body.putArray("transactions");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            ObjectNode tx = client.action(registerId, sequence.get() * 100 + i);
            transactions.add(tx);
            ids.add(tx.path("txId").asString());
        }
        submit(Kind.BATCH, "/api/transactions/batch", body.toString(), registerId, ids);
    }

    /** 202 (accepted, durable) and 200 (already known) both acknowledge. */
    private void submit(Kind kind, String path, String body, String registerId, List<String> txIds) {
        long sent = System.nanoTime();
        inFlight.incrementAndGet();
        fixture.api.sendAsync(fixture.api.post(path, fixture.session.get(), body)).whenComplete((response, error) -> {
            inFlight.decrementAndGet();
            boolean ok = error == null && (response.statusCode() == 202 || response.statusCode() == 200);
            if (ok) {
                acknowledged.get(registerId).addAll(txIds);
            }
            timeline.record(kind, sent, ok, error == null ? response.statusCode() : 0, error);
        });
    }

    private void sign() {
        byte[] data = new byte[32];
        ThreadLocalRandom.current().nextBytes(data);
        String body = "{\"data\":\"" + Base64.getEncoder().encodeToString(data) + "\"}";
        send(Kind.SIGN, fixture.api.post("/api/wallets/" + fixture.signer + "/sign", fixture.session.get(), body));
    }

    private void read() {
        String registerId = nextRegister();
        String path = sequence.get() % 2 == 0 ? "/api/registers/" + registerId + "/dockets/latest"
                : "/api/registers/" + registerId + "/transactions?size=5";
        send(Kind.READ, fixture.api.get(path, fixture.session.get()));
    }

    private void send(Kind kind, HttpRequest request) {
        long sent = System.nanoTime();
        inFlight.incrementAndGet();
        fixture.api.sendAsync(request).whenComplete((response, error) -> {
            inFlight.decrementAndGet();
            timeline.record(kind, sent, error == null && response.statusCode() / 100 == 2, error == null ? response.statusCode() : 0, error);
        });
    }

    /** Purchase orders, one after another: start an instance, place the order, wait for the supplier's turn, confirm delivery. */
    private void runWorkflows() {
        while (running) {
            String registerId = nextRegister();
            ObjectNode start = Api.JSON.createObjectNode().put("blueprintId", fixture.blueprintId).put("registerId", registerId);
            start.putObject("participants").put("buyer", fixture.buyer).put("supplier", fixture.supplier);
            JsonNode instance = workflowCall(() -> fixture.api.post("/api/instances", fixture.session.get(), start.toString()), false);
            if (instance == null) {
                continue;
            }
            String id = instance.path("id").asString();
            if (!execute(id, 0, ORDER, registerId) || !awaitCurrent(id, 2) || !execute(id, 2, DELIVERY, registerId)) {
                continue;
            }
        }
    }

    /** Executes an action, sending it again with the same idempotency key until answered; false once the load stops first. */
    private boolean execute(String instanceId, int actionId, String data, String registerId) {
        String body = "{\"data\":" + data + ",\"idempotencyKey\":\"campaign-" + instanceId + "-" + actionId + "\"}";
        JsonNode answer = workflowCall(() -> fixture.api.post("/api/instances/" + instanceId + "/actions/" + actionId + "/execute",
                fixture.session.get(), body), true);
        if (answer == null) {
            return false;
        }
        String txId = answer.path("txId").asString();
        acknowledged.get(registerId).add(txId);
        steps.add(new Step(instanceId, actionId, registerId, txId));
        return true;
    }

    /**
     * One workflow request, recorded on the timeline; with {@code repeat}, sent again after a 5xx
     * or no answer until the load stops. Null when it did not succeed.
     */
    private JsonNode workflowCall(java.util.function.Supplier<HttpRequest> request, boolean repeat) {
        while (running) {
            long sent = System.nanoTime();
            int status = -1;
            Throwable error = null;
            try {
                HttpRequest built = request.get();
                HttpResponse<String> response = fixture.api.send(HttpRequest.newBuilder(built, (name, value) -> true)
                        .timeout(Api.WORKFLOW_TIMEOUT).build());
                status = response.statusCode();
                if (status / 100 == 2) {
                    timeline.record(Kind.WORKFLOW, sent, true, status, null);
                    return Api.JSON.readTree(response.body());
                }
            } catch (java.io.UncheckedIOException e) {
                error = e.getCause();
            } catch (RuntimeException e) {
                error = e;
            }
            timeline.record(Kind.WORKFLOW, sent, false, status, error);
            if (!repeat || status >= 400 && status < 500 && status != 429) {
                Pause.millis(200);
                return null;
            }
            Pause.millis(200);
        }
        return null;
    }

    /** Waits until the action is current (the step before is sealed and applied); false after a minute or when the load stops. */
    private boolean awaitCurrent(String instanceId, int actionId) {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (running && System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = fixture.api.send(fixture.api.get("/api/instances/" + instanceId, fixture.session.get()));
                if (response.statusCode() == 200) {
                    for (JsonNode current : Api.JSON.readTree(response.body()).path("currentActions")) {
                        if (current.path("actionId").asInt() == actionId) {
                            return true;
                        }
                    }
                }
            } catch (RuntimeException e) {
                // not reachable now: ask again
            }
            Pause.millis(250);
        }
        if (running) {
            stalledInstances.incrementAndGet();
        }
        return false;
    }

    /** Stops sending and waits for the answers of what was sent. */
    @Override
    public void close() {
        running = false;
        pacer.shutdown();
        try {
            pacer.awaitTermination(10, TimeUnit.SECONDS);
            for (Thread thread : workflowClients) {
                thread.join(Api.TIMEOUT.toMillis() * 3);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // answers still on their way arrive within the request deadline
        long deadline = System.nanoTime() + Api.TIMEOUT.plusSeconds(1).toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            Pause.millis(50);
        }
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
