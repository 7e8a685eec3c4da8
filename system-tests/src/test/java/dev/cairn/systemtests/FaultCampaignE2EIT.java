package dev.cairn.systemtests;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.cairn.faults.Campaign;
import dev.cairn.faults.FaultReport;
import dev.cairn.faults.Scenario;
import dev.cairn.localcluster.LocalCluster;
import dev.cairn.localcluster.control.ControlClient;
import dev.cairn.localcluster.control.ProcessControl;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The short fault campaign ({@code bin/cairn faults} runs the whole one): under a mixed load
 * through the front, one replica of every kind of service and a gateway SIGKILLed and started
 * again, and Redis stopped and started. After each: no acknowledged transaction lost or sealed
 * twice, every register verifies, no event missed by a follower after backfill, every
 * acknowledged workflow step applied, and the suite served every kind of request again. The
 * campaign acts through the launcher's control socket, as {@code bin/cairn faults --attach}
 * does. The report, with a timeline chart per scenario, goes to {@code target/faults/}.
 */
@ExtendWith(SharedCluster.class)
class FaultCampaignE2EIT {

    private static final List<String> SCENARIOS = List.of("kill-tenant", "kill-wallet", "kill-register", "kill-validator", "kill-blueprint",
            "kill-peer", "kill-gateway", "restart-redis");

    @Test
    void oneKillOfEveryKindOfProcessAndARedisRestartLoseNothingAcknowledged(LocalCluster cluster) {
        Installation.adminToken(cluster); // the installation bootstrapped with the administrator the campaign signs in as
        Campaign.Settings settings = Campaign.Settings.quick(ValidatorE2EIT.LEASE_TTL, false);
        List<Scenario> scenarios = Scenario.named(SCENARIOS);

        // as bin/cairn faults --attach does: the processes named, and killed and started by the launcher through its control socket
        ProcessControl attached = ControlClient.attach(cluster.home());
        List<Campaign.Outcome> outcomes = new Campaign(attached, SharedCluster.repositoryRoot(), Installation.ADMIN_EMAIL,
                Installation.ADMIN_PASSWORD, settings).run(scenarios);
        FaultReport.write(Path.of("target", "faults"), "faults", "The short campaign of the system tests (FaultCampaignE2EIT) on their "
                + "shared cluster: two replicas of every service (three validators), two gateways, the embedded MongoDB server on its memory "
                + "backend.", settings, outcomes);

        outcomes.forEach(o -> Figures.record("fault campaign", o.summary()));
        assertThat(outcomes.stream().map(o -> o.scenario().name())).as("every scenario ran").containsExactlyElementsOf(SCENARIOS);
        for (Campaign.Outcome outcome : outcomes) {
            assertThat(outcome.passed()).as(outcome.summary()).isTrue();
            assertThat(outcome.requests()).as(outcome.scenario().name() + ": requests sent under the fault").isGreaterThan(20);
            assertThat(outcome.verdict().acknowledged()).as(outcome.scenario().name() + ": transactions acknowledged").isGreaterThan(0);
        }
        // a purchase order takes a few seconds end to end: over the campaign, not in each short scenario
        assertThat(outcomes.stream().mapToInt(o -> o.verdict().stepsAcknowledged()).sum()).as("workflow steps acknowledged").isGreaterThan(10);
    }
}
