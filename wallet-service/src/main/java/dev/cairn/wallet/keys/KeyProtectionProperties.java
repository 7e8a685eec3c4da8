package dev.cairn.wallet.keys;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

import dev.cairn.keys.KeyProtection;

/**
 * How wallet private keys are protected at rest ({@code cairn.wallet.keys.*}).
 *
 * @param protector       {@code local} (a key-encryption key from configuration; the embedded
 *                        default) or {@code vault} (Vault transit)
 * @param local           the local key-encryption key ({@code CAIRN_WALLET_KEYS_LOCAL_KEY} or
 *                        {@code CAIRN_WALLET_KEYS_LOCAL_KEY_FILE})
 * @param vault           the Vault transit engine ({@code CAIRN_WALLET_KEYS_VAULT_URI}, a token or
 *                        an AppRole; transit key {@code cairn-wallet} unless set)
 * @param unlockedFor     how long a decrypted key stays in a replica's memory after use
 * @param unlockedMax     how many decrypted keys a replica keeps at most
 */
@ConfigurationProperties("cairn.wallet.keys")
public record KeyProtectionProperties(String protector, @NestedConfigurationProperty KeyProtection.Local local,
        @NestedConfigurationProperty KeyProtection.Vault vault, Duration unlockedFor, Integer unlockedMax) {

    public KeyProtectionProperties {
        unlockedFor = unlockedFor == null ? Duration.ofSeconds(60) : unlockedFor;
        unlockedMax = unlockedMax == null ? 10_000 : unlockedMax;
    }

    public KeyProtection protection() {
        return new KeyProtection(protector, local, vault);
    }
}
