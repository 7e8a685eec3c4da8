package dev.cairn.wallet.keys;

import java.time.Clock;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.cairn.keys.KeyProtector;
import dev.cairn.keys.KeyProtectors;
import dev.cairn.keys.KeySealer;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(KeyProtectionProperties.class)
class KeyConfiguration {

    /** Wallet keys: settings under {@code cairn.wallet.keys}, transit key {@code cairn-wallet}. */
    static final KeyProtectors.Purpose WALLET_KEYS = new KeyProtectors.Purpose("wallet", "cairn.wallet.keys", "cairn-wallet",
            "cairn/wallet/data-key");

    @Bean
    KeyProtector keyProtector(KeyProtectionProperties properties) {
        return KeyProtectors.create(properties.protection(), WALLET_KEYS);
    }

    @Bean
    KeySealer keySealer(KeyProtector protector) {
        return new KeySealer(protector);
    }

    @Bean
    UnlockedKeys unlockedKeys(KeyProtectionProperties properties, Clock clock) {
        return new UnlockedKeys(properties.unlockedFor(), properties.unlockedMax(), clock);
    }
}
