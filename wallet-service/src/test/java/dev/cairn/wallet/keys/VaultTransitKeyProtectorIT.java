package dev.cairn.wallet.keys;

import java.net.URI;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

import dev.cairn.platform.crypto.AesGcm;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Vault transit protector against a real Vault (dev mode, in Docker): keys wrap and open,
 * the transit key is not exportable, and after a rotation in Vault a rewrap moves a wallet to
 * the new key version while it still opens.
 */
@Tag("docker")
class VaultTransitKeyProtectorIT {

    @Test
    void wrapsOpensAndRewrapsAfterRotation() throws Exception {
        try (GenericContainer<?> vault = new GenericContainer<>("hashicorp/vault:1.18")
                .withEnv("VAULT_DEV_ROOT_TOKEN_ID", "root-token")
                .withExposedPorts(8200)
                .waitingFor(Wait.forHttp("/v1/sys/health").forStatusCode(200))) {
            vault.start();
            exec(vault, "vault", "secrets", "enable", "transit");
            exec(vault, "vault", "write", "-f", "transit/keys/cairn-wallet", "exportable=false");

            KeySealer sealer = new KeySealer(KeyConfiguration.vault(new KeyProtectionProperties.Vault(
                    URI.create("http://" + vault.getHost() + ":" + vault.getMappedPort(8200)), "root-token", null, null, null, null)));
            byte[] privateKey = AesGcm.newKey();
            SealedKey sealed = sealer.seal("cairn1vaulttest", privateKey);
            assertThat(sealed.protector()).isEqualTo("vault");
            assertThat(sealed.keyVersion()).isEqualTo("vault:v1");
            assertThat(sealer.open("cairn1vaulttest", sealed)).isEqualTo(privateKey);
            assertThat(exec(vault, "vault", "read", "-field=exportable", "transit/keys/cairn-wallet").trim()).isEqualTo("false");

            exec(vault, "vault", "write", "-f", "transit/keys/cairn-wallet/rotate");
            assertThat(sealer.protector().currentVersion()).isEqualTo("vault:v2");
            SealedKey rewrapped = sealer.rewrap(sealed);
            assertThat(rewrapped.keyVersion()).isEqualTo("vault:v2");
            assertThat(sealer.open("cairn1vaulttest", rewrapped)).isEqualTo(privateKey);
        }
    }

    private static String exec(GenericContainer<?> vault, String... command) throws Exception {
        var result = vault.execInContainer(prepend(command));
        if (result.getExitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + ": " + result.getStderr());
        }
        return result.getStdout();
    }

    private static String[] prepend(String[] command) {
        String[] full = new String[command.length + 3];
        full[0] = "env";
        full[1] = "VAULT_ADDR=http://127.0.0.1:8200";
        full[2] = "VAULT_TOKEN=root-token";
        System.arraycopy(command, 0, full, 3, command.length);
        return full;
    }
}
