package dev.cairn.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import tools.jackson.databind.JsonNode;

import dev.cairn.localcluster.ClusterState;
import dev.cairn.localcluster.control.ProcessControl;

/**
 * What a fault works with, and the faults themselves: kills, pauses and restarts of the suite's
 * processes and stores. Each marks its moments on the timeline ("fault", "restart", "ready"),
 * notes what an operator would want to read, and may leave a check for after the ledger check.
 */
final class FaultContext {

    private static final String VALIDATOR = "validator-service";

    private final ProcessControl control;
    private final Fixture fixture;
    private final LedgerCheck ledger;
    private final Timeline timeline;
    private final Campaign.Settings settings;
    final List<String> details = new ArrayList<>();
    /** Checks to run once the load has stopped and everything is sealed; each answers a problem, or null. */
    final List<Supplier<String>> laterChecks = new ArrayList<>();
    /** Completes when every process the fault started again is ready. */
    private CompletableFuture<Void> ready = CompletableFuture.completedFuture(null);

    FaultContext(ProcessControl control, Fixture fixture, LedgerCheck ledger, Timeline timeline, Campaign.Settings settings) {
        this.control = control;
        this.fixture = fixture;
        this.ledger = ledger;
        this.timeline = timeline;
        this.settings = settings;
    }

    /** The processes of a role (a service, {@code gateway}), as the launcher records them now. */
    List<ClusterState.Entry> processes(String role) {
        List<ClusterState.Entry> processes = control.state().processes(role);
        if (processes.isEmpty()) {
            throw new IllegalStateException("the suite runs no " + role);
        }
        return processes;
    }

    void killAndRestart(ClusterState.Entry victim) {
        timeline.mark("fault");
        control.kill(victim.name());
        details.add("SIGKILL " + victim.name());
        Pause.of(settings.hold());
        restart(List.of(victim));
    }

    void outage(List<ClusterState.Entry> victims) {
        timeline.mark("fault");
        victims.forEach(victim -> control.kill(victim.name()));
        details.add("SIGKILL " + String.join(", ", victims.stream().map(ClusterState.Entry::name).toList()));
        Pause.of(settings.hold());
        restart(victims);
    }

    /**
     * Starts the processes again, all at once; {@link #awaitReady()} waits until every one is
     * ready (the campaign decides whether the load runs meanwhile).
     */
    private void restart(List<ClusterState.Entry> processes) {
        timeline.mark("restart");
        long started = System.nanoTime();
        List<CompletableFuture<Void>> restarts = processes.stream().map(p -> CompletableFuture.runAsync(() -> control.start(p.name()))).toList();
        ready = CompletableFuture.allOf(restarts.toArray(CompletableFuture[]::new)).thenRun(() -> {
            timeline.mark("ready");
            details.add(String.format("started again and ready in %.1f s", (System.nanoTime() - started) / 1e9));
        });
    }

    /** Waits until what the fault started again is ready. */
    void awaitReady() {
        try {
            ready.get(10, TimeUnit.MINUTES);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a process did not start again: " + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("a process was not ready ten minutes after it was started again", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Stops a store gracefully, holds, starts it again on the same port with the same data. */
    void restartStore(String store) {
        if (store.equals("mongo") && !settings.mongoKeepsData()) {
            throw new IllegalStateException("restart-mongo needs the persistent MongoDB backend: the memory backend forgets every register");
        }
        if (store.equals("redis")) {
            checkRevocationSurvives();
        }
        timeline.mark("fault");
        control.stop(store);
        details.add("stopped " + store);
        Pause.of(settings.hold());
        timeline.mark("restart");
        long started = System.nanoTime();
        control.start(store);
        timeline.mark("ready");
        details.add(String.format("%s started again and accepting connections in %.1f s", store, (System.nanoTime() - started) / 1e9));
    }

    /**
     * Signs in a second time and signs that session out before Redis stops: its token must still be
     * refused once Redis is back, emptied (a sign-out is a security decision, not a cache).
     */
    private void checkRevocationSurvives() {
        String token = fixture.api.callPatiently(() -> fixture.api.post("/api/auth/login", null, fixture.session.credentials()),
                java.time.Duration.ofSeconds(30)).path("accessToken").asString();
        fixture.api.call(fixture.api.post("/api/auth/logout", token, ""));
        int before = fixture.api.send(fixture.api.get("/api/registers", token)).statusCode();
        if (before != 401) {
            throw new IllegalStateException("a signed-out token was answered " + before + " instead of 401 before Redis stopped");
        }
        laterChecks.add(() -> {
            int after = fixture.api.send(fixture.api.get("/api/registers", token)).statusCode();
            if (after != 401) {
                return "a token signed out before Redis stopped was answered " + after + " after Redis started again (401 expected)";
            }
            details.add("a token signed out before Redis stopped was still refused (401) after it started again");
            return null;
        });
    }

    /** Kills the leader of a register {@code times} times (the registers in turn), each once another validator has taken the lease. */
    void killLeaders(int times) {
        ExecutorService restarts = Executors.newSingleThreadExecutor(MixedLoad.daemon("faults-restart"));
        List<Double> takeovers = new ArrayList<>();
        List<CompletableFuture<Void>> restarted = new ArrayList<>();
        try {
            for (int kill = 0; kill < times; kill++) {
                String registerId = fixture.registers.get(kill % fixture.registers.size());
                awaitReadyValidators(2);
                JsonNode lease = awaitCurrentLease(registerId);
                String leader = validatorAt(lease.path("holder").asString());
                if (kill == 0) {
                    timeline.mark("fault");
                }
                long killedAt = System.nanoTime();
                control.kill(leader);
                awaitTakeover(registerId, lease.path("epoch").asLong(), settings.leaseTtl().plusSeconds(15));
                takeovers.add((System.nanoTime() - killedAt) / 1e9);
                restarted.add(CompletableFuture.runAsync(() -> control.start(leader), restarts));
                Pause.millis(1500);
            }
            timeline.mark("restart");
            CompletableFuture.allOf(restarted.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
            timeline.mark("ready");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("a killed validator did not start again: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            restarts.shutdown();
        }
        Collections.sort(takeovers);
        details.add(String.format("%d leaders SIGKILLed; another validator held the lease %.2f s (median) and at most %.2f s after the kill "
                + "(lease %d ms)", times, takeovers.get(takeovers.size() / 2), takeovers.get(takeovers.size() - 1), settings.leaseTtl().toMillis()));
    }

    /**
     * Freezes a register's leader past its lease, lets another take over, and lets the frozen one
     * run on: afterwards no docket of that register above the takeover may be the frozen one's.
     */
    void pauseLeader() {
        String registerId = fixture.registers.get(0);
        JsonNode lease = awaitCurrentLease(registerId);
        String holder = lease.path("holder").asString();
        String leader = validatorAt(holder);
        ledger.refresh(registerId);
        long heightBefore = ledger.chain(registerId).nextHeight();
        Duration pause = settings.hold().compareTo(settings.leaseTtl().multipliedBy(2)) > 0 ? settings.hold()
                : settings.leaseTtl().multipliedBy(2).plusSeconds(1);
        timeline.mark("fault");
        long pausedAt = System.nanoTime();
        control.pause(leader);
        try {
            awaitTakeover(registerId, lease.path("epoch").asLong(), settings.leaseTtl().plusSeconds(15));
            double takeover = (System.nanoTime() - pausedAt) / 1e9;
            long left = pause.toNanos() - (System.nanoTime() - pausedAt);
            if (left > 0) {
                Pause.millis(left / 1_000_000);
            }
            details.add(String.format("SIGSTOP %s (holder of %s's lease) for %.1f s; another validator held the lease %.2f s after the pause",
                    leader, registerId, (System.nanoTime() - pausedAt) / 1e9, takeover));
        } finally {
            timeline.mark("restart");
            control.resume(leader);
            timeline.mark("ready");
        }
        laterChecks.add(() -> {
            ledger.refresh(registerId);
            List<String> sealers = ledger.chain(registerId).sealers;
            int takeover = -1;
            for (int height = (int) heightBefore; height < sealers.size(); height++) {
                if (!sealers.get(height).equals(holder)) {
                    takeover = height;
                    break;
                }
            }
            if (takeover < 0) {
                return "no other validator sealed " + registerId + " after its leader was paused";
            }
            for (int height = takeover; height < sealers.size(); height++) {
                if (sealers.get(height).equals(holder)) {
                    return "the paused leader sealed height " + height + " of " + registerId + " after another validator took over at " + takeover;
                }
            }
            details.add("dockets sealed by the paused leader after the takeover at height " + takeover + ": 0");
            return null;
        });
    }

    private void awaitReadyValidators(int count) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (control.state().processes(VALIDATOR).stream().filter(ClusterState.Entry::ready).count() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("fewer than " + count + " validators ready after 3 minutes");
            }
            Pause.millis(200);
        }
    }

    private Optional<JsonNode> lease(String registerId) {
        try {
            JsonNode leases = fixture.api.call(fixture.api.get("/api/validator/leases?registerId=" + registerId, fixture.session.get()));
            return leases.isEmpty() ? Optional.empty() : Optional.of(leases.get(0));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The register's lease once it is held and not about to expire. */
    private JsonNode awaitCurrentLease(String registerId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<JsonNode> lease = lease(registerId)
                    .filter(l -> Instant.parse(l.path("expiresAt").asString()).isAfter(Instant.now().plusMillis(300)));
            if (lease.isPresent()) {
                return lease.get();
            }
            Pause.millis(50);
        }
        throw new IllegalStateException("no validator held " + registerId + "'s lease within 60 s");
    }

    private void awaitTakeover(String registerId, long epoch, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (lease(registerId).map(l -> l.path("epoch").asLong() <= epoch).orElse(true)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no validator took " + registerId + "'s lease over within " + within.toSeconds() + " s");
            }
            Pause.millis(20);
        }
    }

    /** The name of the validator replica whose instance id ({@code validator-service@host:port#...}) holds a lease. */
    private String validatorAt(String holder) {
        int port = Integer.parseInt(holder.substring(holder.lastIndexOf(':') + 1, holder.indexOf('#')));
        return processes(VALIDATOR).stream().filter(p -> p.port() == port).map(ClusterState.Entry::name).findFirst()
                .orElseThrow(() -> new IllegalStateException("no validator replica on port " + port + " (lease holder " + holder + ")"));
    }
}
