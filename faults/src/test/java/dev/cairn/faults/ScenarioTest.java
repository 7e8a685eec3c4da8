package dev.cairn.faults;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScenarioTest {

    @Test
    void theCampaignCoversEveryKindOfProcess() {
        List<String> names = Scenario.all().stream().map(Scenario::name).toList();
        assertThat(names).containsSubsequence("kill-tenant", "kill-wallet", "kill-register", "kill-validator", "kill-blueprint", "kill-peer",
                "kill-gateway", "kill-leader", "pause-leader", "restart-redis", "restart-postgres", "restart-mongo");
        assertThat(names).contains("outage-register", "outage-validator").doesNotHaveDuplicates();
    }

    @Test
    void scenariosAreChosenByNameInTheOrderGiven() {
        assertThat(Scenario.named(List.of("restart-redis", "kill-wallet")).stream().map(Scenario::name))
                .containsExactly("restart-redis", "kill-wallet");
    }

    @Test
    void anUnknownNameIsRefusedWithTheKnownOnes() {
        assertThatThrownBy(() -> Scenario.named(List.of("kill-wallet", "kill-everything")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown scenario 'kill-everything'; known: kill-tenant, kill-wallet,")
                .hasMessageContaining("restart-mongo");
    }

    @Test
    void theUsageListsEveryScenarioWithWhatItDoes() {
        String usage = FaultCampaign.usage();
        Scenario.all().forEach(s -> assertThat(usage).contains(s.name()).contains(s.description()));
    }
}
