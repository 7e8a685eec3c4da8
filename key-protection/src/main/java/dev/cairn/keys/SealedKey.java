package dev.cairn.keys;

/**
 * A private key as stored: AES-256-GCM under its own data key (associated data: the key's owner),
 * and the data key wrapped by the key protector.
 */
public record SealedKey(byte[] ciphertext, String wrappedDataKey, String protector, String keyVersion) {
}
