package dev.cairn.keys;

import java.net.URI;
import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.MountableFile;

import dev.cairn.platform.crypto.AesGcm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Vault transit protector against a real Vault (dev mode, in Docker): keys wrap and open,
 * the transit key is not exportable, and after a rotation in Vault a rewrap moves a wallet to
 * the new key version while it still opens.
 */
@Tag("docker")
class VaultTransitKeyProtectorIT {

    private static final KeyProtectors.Purpose WALLET_KEYS = new KeyProtectors.Purpose("wallet", "cairn.wallet.keys", "cairn-wallet",
            "cairn/wallet/data-key");
    private static final KeyProtectors.Purpose NODE_KEY = new KeyProtectors.Purpose("node", "cairn.peer.keys", "cairn-peer",
            "cairn/peer/data-key");

    @Test
    void wrapsOpensAndRewrapsAfterRotation() throws Exception {
        try (GenericContainer<?> vault = new GenericContainer<>("hashicorp/vault:1.18")
                .withEnv("VAULT_DEV_ROOT_TOKEN_ID", "root-token")
                .withExposedPorts(8200)
                .waitingFor(Wait.forHttp("/v1/sys/health").forStatusCode(200))) {
            vault.start();
            exec(vault, "vault", "secrets", "enable", "transit");
            exec(vault, "vault", "write", "-f", "transit/keys/cairn-wallet", "exportable=false");

            KeySealer sealer = new KeySealer(KeyProtectors.vault(new KeyProtection.Vault(
                    URI.create("http://" + vault.getHost() + ":" + vault.getMappedPort(8200)), "root-token", null, null, null, null), WALLET_KEYS));
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

    /**
     * The compose project's Vault set-up (compose/vault/init.sh) against a real Vault, and the
     * wallet and peer services logging in with the AppRoles it creates: each policy allows
     * exactly what its service needs (the peer's AppRole cannot use the wallet key), and the
     * script can run again without harm.
     */
    @Test
    void composeInitScriptAndAppRoleLogin() throws Exception {
        Path script = Path.of(System.getProperty("cairn.root", "..")).resolve("compose/vault/init.sh").toAbsolutePath().normalize();
        try (GenericContainer<?> vault = new GenericContainer<>("hashicorp/vault:1.18")
                .withEnv("VAULT_DEV_ROOT_TOKEN_ID", "root-token")
                .withCopyFileToContainer(MountableFile.forHostPath(script), "/init.sh")
                .withExposedPorts(8200)
                .waitingFor(Wait.forHttp("/v1/sys/health").forStatusCode(200))) {
            vault.start();
            for (int run = 0; run < 2; run++) {
                exec(vault, "WALLET_ROLE_ID=wallet-role", "WALLET_SECRET_ID=wallet-secret", "PEER_ROLE_ID=peer-role",
                        "PEER_SECRET_ID=peer-secret", "sh", "/init.sh");
            }
            try (VaultTransitKeyProtector protector = KeyProtectors.vault(new KeyProtection.Vault(
                    URI.create("http://" + vault.getHost() + ":" + vault.getMappedPort(8200)), null, "wallet-role", "wallet-secret",
                    null, null), WALLET_KEYS)) {
                KeySealer sealer = new KeySealer(protector);
                byte[] privateKey = AesGcm.newKey();
                SealedKey sealed = sealer.seal("cairn1approle", privateKey);
                assertThat(sealer.open("cairn1approle", sealed)).isEqualTo(privateKey);
                assertThat(sealer.rewrap(sealed).keyVersion()).isEqualTo("vault:v1");
            }
            URI address = URI.create("http://" + vault.getHost() + ":" + vault.getMappedPort(8200));
            try (VaultTransitKeyProtector node = KeyProtectors.vault(new KeyProtection.Vault(address, null, "peer-role", "peer-secret", null,
                    null), NODE_KEY)) {
                KeySealer sealer = new KeySealer(node);
                byte[] nodeKey = AesGcm.newKey();
                assertThat(sealer.open("node-id", sealer.seal("node-id", nodeKey))).isEqualTo(nodeKey);
            }
            assertThatThrownBy(() -> KeyProtectors.vault(new KeyProtection.Vault(address, null, "peer-role", "peer-secret", null,
                    "cairn-wallet"), NODE_KEY)).as("the peer's AppRole may not read the wallet key").isInstanceOf(RuntimeException.class);
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
