package dev.cairn.keys;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import dev.cairn.platform.crypto.AesGcm;

/**
 * Seals private keys for storage and opens them again: each key is encrypted under a fresh data
 * key with its owner (a wallet's address, a NodeId) as associated data, and the data key is
 * wrapped by the protector. Plaintext keys exist only in memory.
 */
public class KeySealer {

    private final KeyProtector protector;

    public KeySealer(KeyProtector protector) {
        this.protector = protector;
    }

    public SealedKey seal(String owner, byte[] privateKey) {
        byte[] dataKey = AesGcm.newKey();
        try {
            byte[] ciphertext = AesGcm.encrypt(dataKey, privateKey, owner.getBytes(StandardCharsets.UTF_8));
            KeyProtector.Wrapped wrapped = protector.wrap(dataKey);
            return new SealedKey(ciphertext, wrapped.ciphertext(), protector.kind(), wrapped.keyVersion());
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    public byte[] open(String owner, SealedKey sealed) {
        if (!sealed.protector().equals(protector.kind())) {
            throw new IllegalStateException("The key of " + owner + " is protected by '" + sealed.protector()
                    + "', but this service is configured for '" + protector.kind() + "'");
        }
        byte[] dataKey = protector.unwrap(new KeyProtector.Wrapped(sealed.wrappedDataKey(), sealed.keyVersion()));
        try {
            return AesGcm.decrypt(dataKey, sealed.ciphertext(), owner.getBytes(StandardCharsets.UTF_8));
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /** The same private key, its data key wrapped under the protector's current version. */
    public SealedKey rewrap(SealedKey sealed) {
        KeyProtector.Wrapped wrapped = protector.rewrap(new KeyProtector.Wrapped(sealed.wrappedDataKey(), sealed.keyVersion()));
        return new SealedKey(sealed.ciphertext(), wrapped.ciphertext(), sealed.protector(), wrapped.keyVersion());
    }

    public KeyProtector protector() {
        return protector;
    }
}
