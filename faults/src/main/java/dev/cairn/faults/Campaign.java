package dev.cairn.faults;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Supplier;

import dev.cairn.localcluster.ClusterState;
import dev.cairn.localcluster.control.ProcessControl;

/**
 * Runs scenarios one after another on a running local cluster: for each, the mixed load for a
 * baseline, the fault (injected, held, healed), more load, then the ledger check. Used by
 * {@code bin/cairn faults} and by the short campaign of the system tests.
 */
public final class Campaign {

    /**
     * How long each phase lasts, and what the campaign knows of the suite.
     *
     * @param baseline       load before the fault
     * @param hold           how long a killed or stopped process stays down (a paused one: at least twice the lease)
     * @param after          load after the fault was healed
     * @param settle         how long the check waits for what was acknowledged to be sealed and applied
     * @param leaseTtl       the validators' lease (cairn.validator.lease.ttl)
     * @param mongoKeepsData whether the MongoDB server keeps its data over a restart (the embedded server's persistent backend)
     * @param loadWhileStarting whether the load runs on until a restarted process is ready, and {@code after} counts from then;
     *                       otherwise {@code after} counts from the restart and the process finishes starting without load
     * @param warmUp         load before the first scenario, unmeasured, while the JVMs compile their hot paths
     */
    public record Settings(Duration baseline, Duration hold, Duration after, Duration settle, Duration leaseTtl, boolean mongoKeepsData,
            boolean loadWhileStarting, Duration warmUp, MixedLoad.Plan load) {

        /**
         * The operator's campaign: ten seconds of load before, five down, fifteen after, after a minute of warm-up. The load is
         * a steady fraction of what the suite can carry on two cores, so that a scenario shows its fault rather than an overload.
         */
        public static Settings full(Duration leaseTtl, boolean mongoKeepsData) {
            return new Settings(Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofMinutes(2), leaseTtl,
                    mongoKeepsData, true, Duration.ofSeconds(60), new MixedLoad.Plan(10, 1, 20, 5, 5, 1));
        }

        /**
         * The short campaign of the test suite: a few seconds of lighter load each side of the fault, the load stopped while a
         * restarted JVM finishes starting (on two cores the load would double the time it takes), after ten seconds of warm-up
         * (on a suite that has just started, its JVMs still compiling, the first fault would otherwise stall everything).
         */
        public static Settings quick(Duration leaseTtl, boolean mongoKeepsData) {
            return new Settings(Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(90), leaseTtl,
                    mongoKeepsData, false, Duration.ofSeconds(10), new MixedLoad.Plan(8, 1, 10, 5, 5, 1));
        }
    }

    /** What one scenario did and what the check found. */
    public record Outcome(Scenario scenario, Timeline timeline, LedgerCheck.Verdict verdict, List<String> details, List<String> problems,
            int requests, int failed, double errorWindowSeconds, OptionalDouble secondsToServeAgain) {

        public boolean passed() {
            return problems.isEmpty() && verdict != null && verdict.passed() && secondsToServeAgain.isPresent();
        }

        /** One line for a console. */
        public String summary() {
            String verdictText = verdict == null ? "not checked"
                    : String.format("%d acknowledged, %d lost, %d sealed twice, %s, %d events missed, %d of %d workflow steps not applied",
                            verdict.acknowledged(), verdict.lost(), verdict.sealedTwice(),
                            verdict.unverified().isEmpty() ? "every register verifies" : verdict.unverified().size() + " registers fail verify",
                            verdict.eventsMissed(), verdict.stepsNotApplied(), verdict.stepsAcknowledged());
            return String.format("%s %s: %s; %d of %d requests failed over %.1f s, serving again %s%s", passed() ? "PASS" : "FAIL",
                    scenario.name(), verdictText, failed, requests, errorWindowSeconds,
                    secondsToServeAgain.isPresent() ? String.format("%.1f s after the fault", secondsToServeAgain.getAsDouble()) : "never",
                    problems.isEmpty() ? "" : "; " + String.join("; ", problems));
        }
    }

    private final ProcessControl control;
    private final String frontUrl;
    private final Settings settings;
    private final Api api;
    private final Session session;
    private final Path repositoryRoot;

    /**
     * @param adminEmail    a SystemAdmin of the installation; bootstrapped with it when the installation is new
     */
    public Campaign(ProcessControl control, Path repositoryRoot, String adminEmail, String adminPassword, Settings settings) {
        this.control = control;
        this.settings = settings;
        this.repositoryRoot = repositoryRoot;
        ClusterState state = control.state();
        this.frontUrl = state.frontUrl();
        // the front, as users reach the suite; without nginx the gateways in turn, as a load balancer would
        this.api = new Api(!state.processes("nginx").isEmpty() ? List.of(frontUrl)
                : state.processes("gateway").stream().map(gateway -> "http://127.0.0.1:" + gateway.port()).toList());
        this.session = Session.bootstrap(api, "Fault campaign", adminEmail, adminPassword);
    }

    /** Runs the scenarios in order, printing a line for each; stops after a fault that could not be healed. */
    public List<Outcome> run(List<Scenario> scenarios) {
        List<Outcome> outcomes = new ArrayList<>();
        try (Fixture fixture = Fixture.prepare(api, session, repositoryRoot, frontUrl.replaceFirst("^http", "ws"))) {
            LedgerCheck ledger = new LedgerCheck(fixture);
            if (!settings.warmUp().isZero()) {
                System.out.println("warming up: " + settings.warmUp().toSeconds() + " s of load, not measured");
                try (MixedLoad warmUp = new MixedLoad(fixture, new Timeline(), settings.load())) {
                    Pause.of(settings.warmUp());
                }
            }
            for (Scenario scenario : scenarios) {
                System.out.println("scenario " + scenario.name() + ": " + scenario.description());
                Outcome outcome = run(scenario, fixture, ledger);
                outcomes.add(outcome);
                System.out.println(outcome.summary());
                if (outcome.verdict() == null) {
                    break;
                }
            }
        }
        return outcomes;
    }

    private Outcome run(Scenario scenario, Fixture fixture, LedgerCheck ledger) {
        Timeline timeline = new Timeline();
        FaultContext context = new FaultContext(control, fixture, ledger, timeline, settings);
        List<String> problems = new ArrayList<>();
        MixedLoad load = new MixedLoad(fixture, timeline, settings.load());
        boolean healed = true;
        try {
            Pause.of(settings.baseline());
            scenario.fault().inject(context);
            if (settings.loadWhileStarting()) {
                context.awaitReady();
            }
            Pause.of(settings.after());
        } catch (RuntimeException e) {
            problems.add("the fault could not be injected and healed: " + e.getMessage());
            healed = false;
        } finally {
            load.close();
        }
        timeline.mark("load stopped");
        if (healed && !settings.loadWhileStarting()) {
            try {
                context.awaitReady();
            } catch (RuntimeException e) {
                problems.add("the fault could not be healed: " + e.getMessage());
                healed = false;
            }
        }
        LedgerCheck.Verdict verdict = null;
        if (healed) {
            verdict = ledger.check(load, settings.settle());
            for (Supplier<String> check : context.laterChecks) {
                String problem = check.get();
                if (problem != null) {
                    problems.add(problem);
                }
            }
            if (load.stalledInstances.get() > 0) {
                context.details.add(load.stalledInstances.get() + " workflow instances waited over a minute for their next action");
            }
        }
        long faultAt = Math.max(0, timeline.markAt("fault"));
        return new Outcome(scenario, timeline, verdict, List.copyOf(context.details), problems, timeline.count(), timeline.failed(),
                timeline.errorWindowSeconds(), timeline.secondsToServeAgain(faultAt));
    }
}
