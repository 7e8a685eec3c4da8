package dev.cairn.wallet.keys;

/**
 * A private key as stored: AES-256-GCM under a per-wallet data key (associated data: the
 * wallet's address), and the data key wrapped by the key protector.
 */
public record SealedKey(byte[] ciphertext, String wrappedDataKey, String protector, String keyVersion) {
}
