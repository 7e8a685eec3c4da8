package dev.cairn.keys;

/**
 * Wraps and unwraps data keys with a key-encryption key that a service never stores next to the
 * data: a local key file (the embedded default) or a Vault transit key that never leaves Vault.
 */
public interface KeyProtector {

    /** A wrapped data key and the version of the key-encryption key that wrapped it. */
    record Wrapped(String ciphertext, String keyVersion) {
    }

    /** {@code local} or {@code vault}: recorded with every sealed key. */
    String kind();

    /** The version new wraps get; keys wrapped under an older one can be rewrapped. */
    String currentVersion();

    Wrapped wrap(byte[] dataKey);

    byte[] unwrap(Wrapped wrapped);

    /** Re-encrypts a wrapped key under the current version without exposing it, where the protector can. */
    Wrapped rewrap(Wrapped wrapped);
}
