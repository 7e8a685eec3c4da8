package dev.cairn.wallet.keys;

import java.time.Duration;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import dev.cairn.keys.KeyProtection;

/**
 * How wallet private keys are protected at rest ({@code cairn.wallet.keys.*}).
 *
 * @param protector       {@code local} (a key-encryption key from configuration; the embedded
 *                        default) or {@code vault} (Vault transit)
 * @param local           the local key-encryption key ({@code CAIRN_WALLET_KEYS_LOCAL_KEY} or
 *                        {@code CAIRN_WALLET_KEYS_LOCAL_KEYFILE})
 * @param vault           the Vault transit engine ({@code CAIRN_WALLET_KEYS_VAULT_URI}, a token or
 *                        an AppRole; transit key {@code cairn-wallet} unless set)
 * @param unlockedFor     how long a decrypted key stays in a replica's memory after use
 * @param unlockedMax     how many decrypted keys a replica keeps at most
 */
@Validated
@ConfigurationProperties("cairn.wallet.keys")
public record KeyProtectionProperties(@DefaultValue("local") String protector, @NestedConfigurationProperty KeyProtection.Local local,
        @NestedConfigurationProperty KeyProtection.Vault vault, @DefaultValue("60s") Duration unlockedFor,
        @DefaultValue("10000") @Min(1) int unlockedMax) {

    public KeyProtection protection() {
        return new KeyProtection(protector, local, vault);
    }
}
