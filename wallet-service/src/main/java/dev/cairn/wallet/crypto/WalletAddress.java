package dev.cairn.wallet.crypto;

import dev.cairn.ledger.crypto.Bech32m;
import dev.cairn.ledger.crypto.LedgerAddress;

/**
 * Wallet addresses ({@link LedgerAddress}). Every address given to the API is checksum-verified,
 * so a mistyped address is reported as invalid rather than as unknown.
 */
public final class WalletAddress {

    private WalletAddress() {
    }

    public static String of(KeyAlgorithm algorithm, byte[] publicKey) {
        return LedgerAddress.of(algorithm.name(), publicKey);
    }

    /** @throws Bech32m.InvalidBech32Exception when the text is not a valid Cairn address */
    public static KeyAlgorithm parse(String address) {
        return KeyAlgorithm.valueOf(LedgerAddress.algorithm(address));
    }

    /** Whether this public key is the one the address names. */
    public static boolean matches(String address, byte[] publicKey) {
        return LedgerAddress.matches(address, parse(address).name(), publicKey);
    }
}
