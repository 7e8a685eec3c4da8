package dev.cairn.wallet.store;

import java.time.Instant;
import java.util.List;

import dev.cairn.wallet.crypto.KeyAlgorithm;
import dev.cairn.keys.SealedKey;

/** A stored wallet. Its private key is only ever sealed here. */
public record Wallet(String address, String ownerId, String organizationId, String name, List<String> tags, KeyAlgorithm algorithm,
        byte[] publicKey, String derivationPath, SealedKey sealedKey, String status, Instant createdAt, Instant updatedAt) {

    public static final String ACTIVE = "active";
    public static final String DELETED = "deleted";

    public boolean active() {
        return ACTIVE.equals(status);
    }

    @Override
    public String toString() {
        return "Wallet[" + address + ", " + algorithm + ", owner=" + ownerId + ", " + status + "]";
    }
}
