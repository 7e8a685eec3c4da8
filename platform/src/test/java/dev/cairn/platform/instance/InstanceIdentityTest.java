package dev.cairn.platform.instance;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InstanceIdentityTest {

    @Test
    void derivedIdStartsWithTheServiceAndEndsWithThePortOnceKnown() {
        InstanceIdentity identity = new InstanceIdentity("wallet-service", null, 0);
        assertThat(identity.id()).startsWith("wallet-service@").doesNotContain(":");
        identity.webServerStarted(8123);
        assertThat(identity.id()).startsWith("wallet-service@").endsWith(":8123");
    }

    @Test
    void configuredIdWins() {
        InstanceIdentity identity = new InstanceIdentity("wallet-service", "wallet-service@blue-1", 8080);
        identity.webServerStarted(9999);
        assertThat(identity.id()).isEqualTo("wallet-service@blue-1");
    }
}
