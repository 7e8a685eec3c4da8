package dev.cairn.wallet.keys;

import org.junit.jupiter.api.Test;

import dev.cairn.testsupport.JwksServer;
import dev.cairn.testsupport.TestStores;
import dev.cairn.wallet.WalletServiceApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Without a key-encryption key the service refuses to start, and says why. */
class StartupWithoutKeyIT {

    @Test
    void aMissingKeyEncryptionKeyIsAClearStartUpError() {
        String url = TestStores.freshDatabase("cairn_wallet_nokey");
        try (JwksServer jwks = new JwksServer()) {
            assertThatThrownBy(() -> new SpringApplicationBuilder(WalletServiceApplication.class).run("--server.port=0",
                    "--spring.datasource.url=" + url, "--spring.datasource.username=cairn",
                    "--spring.datasource.password=" + TestStores.POSTGRES_PASSWORD, "--spring.data.redis.url=" + TestStores.endpoints().redisUri(),
                    "--cairn.auth.jwks-uris=" + jwks.uri()))
                    .hasRootCauseMessage("No wallet key-encryption key: set CAIRN_WALLET_KEYS_LOCAL_KEY (base64 of 32 random bytes) "
                            + "or CAIRN_WALLET_KEYS_LOCAL_KEYFILE, or use Vault (CAIRN_WALLET_KEYS_PROTECTOR=vault)");
        }
    }
}
