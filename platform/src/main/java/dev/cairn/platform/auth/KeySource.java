package dev.cairn.platform.auth;

/** Public keys that may have signed access tokens, by key id. */
public interface KeySource {

    /** @return the raw 32-byte Ed25519 public key, or null when the key id is not (or no longer) known */
    byte[] publicKey(String keyId);
}
