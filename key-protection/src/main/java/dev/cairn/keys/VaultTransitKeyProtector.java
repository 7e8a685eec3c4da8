package dev.cairn.keys;

import org.springframework.vault.core.VaultOperations;
import org.springframework.vault.core.VaultTransitOperations;
import org.springframework.vault.support.Ciphertext;
import org.springframework.vault.support.Plaintext;
import org.springframework.vault.support.VaultTransitKey;

/**
 * Data keys wrapped by a Vault transit key. The key-encryption key never leaves Vault (the
 * transit key is created non-exportable); Vault's ciphertext ({@code vault:vN:...}) names the
 * key version, and after a rotation in Vault {@link #rewrap} moves a sealed key to the newest
 * version without the data key ever being seen by the service.
 */
public class VaultTransitKeyProtector implements KeyProtector, AutoCloseable {

    private final VaultTransitOperations transit;
    private final String keyName;
    private final Runnable onClose;

    public VaultTransitKeyProtector(VaultOperations vault, String mountPath, String keyName, Runnable onClose) {
        this.transit = vault.opsForTransit(mountPath);
        this.keyName = keyName;
        this.onClose = onClose;
    }

    /** Ends the Vault session (a token obtained by login is revoked). */
    @Override
    public void close() {
        onClose.run();
    }

    @Override
    public String kind() {
        return "vault";
    }

    @Override
    public String currentVersion() {
        VaultTransitKey key = transit.getKey(keyName);
        if (key == null) {
            throw new IllegalStateException("Vault transit key '" + keyName + "' does not exist");
        }
        return "vault:v" + key.getLatestVersion();
    }

    @Override
    public Wrapped wrap(byte[] dataKey) {
        Ciphertext ciphertext = transit.encrypt(keyName, Plaintext.of(dataKey));
        return new Wrapped(ciphertext.getCiphertext(), versionOf(ciphertext.getCiphertext()));
    }

    @Override
    public byte[] unwrap(Wrapped wrapped) {
        return transit.decrypt(keyName, Ciphertext.of(wrapped.ciphertext())).getPlaintext();
    }

    @Override
    public Wrapped rewrap(Wrapped wrapped) {
        String rewrapped = transit.rewrap(keyName, wrapped.ciphertext());
        return new Wrapped(rewrapped, versionOf(rewrapped));
    }

    static String versionOf(String ciphertext) {
        int second = ciphertext.indexOf(':', 6);
        return second > 0 ? ciphertext.substring(0, second) : "vault:?";
    }
}
