package dev.cairn.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;

/**
 * The end of every scenario: was every acknowledged transaction sealed, none twice, does every
 * register verify, did every WebSocket follower get every event after its backfill, and did every
 * acknowledged workflow step reach its instance. The registers' dockets are read once, as they
 * grow, across the whole campaign.
 */
public final class LedgerCheck {

    /** The check of one scenario. */
    public record Verdict(int acknowledged, int lost, int sealedTwice, List<String> unverified, int eventsMissed, int eventsRepeated,
            int stepsAcknowledged, int stepsNotApplied, double settleSeconds) {

        public boolean passed() {
            return lost == 0 && sealedTwice == 0 && unverified.isEmpty() && eventsMissed == 0 && stepsNotApplied == 0;
        }
    }

    /** One register's dockets read so far: how often each transaction was sealed, and who sealed each height. */
    static final class Chain {
        final Map<String, Integer> sealed = new HashMap<>();
        final List<String> sealers = new ArrayList<>();

        long nextHeight() {
            return sealers.size();
        }
    }

    private final Fixture fixture;
    private final Map<String, Chain> chains = new LinkedHashMap<>();

    LedgerCheck(Fixture fixture) {
        this.fixture = fixture;
        fixture.registers.forEach(r -> chains.put(r, new Chain()));
    }

    Chain chain(String registerId) {
        return chains.get(registerId);
    }

    Verdict check(MixedLoad load, Duration settle) {
        long started = System.nanoTime();
        long deadline = started + settle.toNanos();
        int acknowledged = load.acknowledgedCount();
        // sealing goes on after the load stops: wait, reading the new dockets, until all is sealed or the time is up
        Map<String, Set<String>> missing = new HashMap<>();
        while (true) {
            missing.clear();
            for (String registerId : fixture.registers) {
                refresh(registerId);
                Set<String> open = new HashSet<>(load.acknowledged.get(registerId));
                open.removeAll(chains.get(registerId).sealed.keySet());
                if (!open.isEmpty()) {
                    missing.put(registerId, open);
                }
            }
            if (missing.isEmpty() || System.nanoTime() > deadline) {
                break;
            }
            Pause.millis(500);
        }
        int lost = missing.values().stream().mapToInt(Set::size).sum();
        int twice = 0;
        List<String> unverified = new ArrayList<>();
        for (String registerId : fixture.registers) {
            twice += (int) chains.get(registerId).sealed.values().stream().filter(n -> n > 1).count();
            JsonNode verified = fixture.api.callPatiently(() -> fixture.api.get("/api/registers/" + registerId + "/verify", fixture.session.get()),
                    Duration.ofSeconds(60));
            if (!verified.path("ok").asBoolean()) {
                unverified.add(registerId + ": " + verified);
            }
        }
        int[] events = followersComplete(deadline);
        int notApplied = stepsNotApplied(load, deadline);
        return new Verdict(acknowledged, lost, twice, unverified, events[0], events[1], load.steps.size(), notApplied,
                (System.nanoTime() - started) / 1e9);
    }

    /** Reads the register's dockets from the first one not read yet. */
    void refresh(String registerId) {
        Chain chain = chains.get(registerId);
        while (true) {
            long from = chain.nextHeight();
            JsonNode page = fixture.api.callPatiently(() -> fixture.api.get("/api/registers/" + registerId + "/dockets?from=" + from + "&limit=100",
                    fixture.session.get()), Duration.ofSeconds(60));
            JsonNode items = page.path("items");
            if (items.isEmpty()) {
                return;
            }
            for (JsonNode item : items) {
                if (item.path("height").asLong() != chain.nextHeight()) {
                    throw new IllegalStateException("register " + registerId + " answered height " + item.path("height") + " where "
                            + chain.nextHeight() + " was expected");
                }
                JsonNode docket = item.path("docket");
                docket.path("transactionIds").forEach(id -> chain.sealed.merge(id.asString(), 1, Integer::sum));
                chain.sealers.add(docket.path("validatorId").asString());
            }
        }
    }

    /**
     * Waits until every follower holds every event of its stream, then counts, over all of them,
     * the events never received and those received more than once.
     */
    private int[] followersComplete(long deadline) {
        Map<StreamFollower, Long> heads = new LinkedHashMap<>();
        fixture.registerFollowers.forEach((registerId, follower) -> heads.put(follower, fixture.api.callPatiently(
                () -> fixture.api.get("/api/registers/" + registerId + "/events?afterSeq=0&limit=1", fixture.session.get()),
                Duration.ofSeconds(60)).path("headSeq").asLong()));
        heads.put(fixture.supplierFollower, fixture.api.callPatiently(() -> fixture.api.get("/api/instances/events?wallet=" + fixture.supplier
                + "&afterSeq=0&limit=1", fixture.session.get()), Duration.ofSeconds(60)).path("headSeq").asLong());
        // a follower catches up within its reconnect and backfill; give it at least half a minute
        long wait = Math.max(deadline, System.nanoTime() + Duration.ofSeconds(30).toNanos());
        while (System.nanoTime() < wait && heads.entrySet().stream().anyMatch(h -> missed(h.getKey(), h.getValue()) > 0)) {
            Pause.millis(250);
        }
        int missed = 0;
        int repeated = 0;
        for (Map.Entry<StreamFollower, Long> head : heads.entrySet()) {
            missed += missed(head.getKey(), head.getValue());
            List<Long> seqs = head.getKey().seqs();
            repeated += seqs.size() - (int) seqs.stream().distinct().count();
        }
        return new int[] {missed, repeated};
    }

    private static int missed(StreamFollower follower, long head) {
        Set<Long> seen = new HashSet<>(follower.seqs());
        int missed = 0;
        for (long seq = 1; seq <= head; seq++) {
            if (!seen.contains(seq)) {
                missed++;
            }
        }
        return missed;
    }

    /** Steps acknowledged but not shown sealed in their instance's history by the deadline (the blueprint's sweep included). */
    private int stepsNotApplied(MixedLoad load, long deadline) {
        List<MixedLoad.Step> open = new ArrayList<>(load.steps);
        while (true) {
            open.removeIf(this::applied);
            if (open.isEmpty() || System.nanoTime() > deadline) {
                return open.size();
            }
            Pause.millis(500);
        }
    }

    private boolean applied(MixedLoad.Step step) {
        JsonNode instance = fixture.api.callPatiently(() -> fixture.api.get("/api/instances/" + step.instanceId(), fixture.session.get()),
                Duration.ofSeconds(60));
        for (JsonNode entry : instance.path("history")) {
            if (step.txId().equals(entry.path("txId").asString())) {
                return "sealed".equals(entry.path("status").asString());
            }
        }
        return false;
    }
}
