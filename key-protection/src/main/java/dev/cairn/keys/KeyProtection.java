package dev.cairn.keys;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * How a service protects private keys at rest: which protector wraps them, and its settings.
 * Each service binds it under its own prefix (the wallet service's {@code cairn.wallet.keys},
 * the peer service's {@code cairn.peer.keys}); {@link KeyProtectors} makes the protector.
 *
 * @param protector {@code local} (a key-encryption key from configuration; the embedded default)
 *                  or {@code vault} (a Vault transit key that never leaves Vault)
 * @param local     the local key-encryption key
 * @param vault     the Vault transit engine
 */
public record KeyProtection(String protector, Local local, Vault vault) {

    public KeyProtection {
        protector = protector == null ? "local" : protector;
        local = local == null ? new Local(null, null, null) : local;
        vault = vault == null ? new Vault(null, null, null, null, null, null) : vault;
    }

    /**
     * @param key          base64 of 32 random bytes
     * @param keyFile      or a file holding it (a Docker or Kubernetes secret)
     * @param previousKeys keys replaced by rotation, still needed to open keys sealed under them
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
     * @param uri         Vault's address
     * @param token       a token, or the AppRole below
     * @param roleId      AppRole role id
     * @param secretId    AppRole secret id
     * @param transitPath the transit engine's mount path (default {@code transit})
     * @param keyName     the transit key (each service has its own default)
     */
    public record Vault(URI uri, String token, String roleId, String secretId, String transitPath, String keyName) {
        public Vault {
            transitPath = transitPath == null ? "transit" : transitPath;
        }

        @Override
        public String toString() {
            return "Vault[uri=" + uri + ", transitPath=" + transitPath + ", keyName=" + keyName + "]";
        }
    }
}
