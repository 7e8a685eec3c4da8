package dev.cairn.wallet.keys;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How private keys are protected at rest ({@code cairn.wallet.keys.*}).
 *
 * @param protector       {@code local} (a key-encryption key from configuration; the embedded
 *                        default) or {@code vault} (Vault transit)
 * @param local           the local key-encryption key
 * @param vault           the Vault transit engine
 * @param unlockedFor     how long a decrypted key stays in a replica's memory after use
 * @param unlockedMax     how many decrypted keys a replica keeps at most
 */
@ConfigurationProperties("cairn.wallet.keys")
public record KeyProtectionProperties(String protector, Local local, Vault vault, Duration unlockedFor, Integer unlockedMax) {

    public KeyProtectionProperties {
        protector = protector == null ? "local" : protector;
        local = local == null ? new Local(null, null, null) : local;
        vault = vault == null ? new Vault(null, null, null, null, null, null) : vault;
        unlockedFor = unlockedFor == null ? Duration.ofSeconds(60) : unlockedFor;
        unlockedMax = unlockedMax == null ? 10_000 : unlockedMax;
    }

    /**
     * @param key          base64 of 32 random bytes ({@code CAIRN_WALLET_KEYS_LOCAL_KEY})
     * @param keyFile      or a file holding it ({@code CAIRN_WALLET_KEYS_LOCAL_KEY_FILE})
     * @param previousKeys keys replaced by rotation, still needed to open older wallets
     */
    public record Local(String key, Path keyFile, List<String> previousKeys) {
        public Local {
            previousKeys = previousKeys == null ? List.of() : List.copyOf(previousKeys);
        }

        @Override
        public String toString() {
            return "Local[key=" + (key == null ? "unset" : "(set)") + ", keyFile=" + keyFile + ", previousKeys=" + previousKeys.size() + "]";
        }
    }

    /**
     * @param uri          Vault's address ({@code CAIRN_WALLET_KEYS_VAULT_URI})
     * @param token        a token ({@code CAIRN_WALLET_KEYS_VAULT_TOKEN}), or AppRole below
     * @param roleId       AppRole role id
     * @param secretId     AppRole secret id
     * @param transitPath  the transit engine's mount path (default {@code transit})
     * @param keyName      the transit key (default {@code cairn-wallet})
     */
    public record Vault(URI uri, String token, String roleId, String secretId, String transitPath, String keyName) {
        public Vault {
            transitPath = transitPath == null ? "transit" : transitPath;
            keyName = keyName == null ? "cairn-wallet" : keyName;
        }

        @Override
        public String toString() {
            return "Vault[uri=" + uri + ", transitPath=" + transitPath + ", keyName=" + keyName + "]";
        }
    }
}
