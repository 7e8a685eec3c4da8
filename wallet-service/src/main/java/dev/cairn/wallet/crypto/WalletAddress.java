package dev.cairn.wallet.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Wallet addresses: Bech32m with prefix {@value #PREFIX} over one algorithm byte followed by the
 * SHA-256 of the public key. Every address given to the API is checksum-verified, so a mistyped
 * address is reported as invalid rather than as unknown.
 */
public final class WalletAddress {

    public static final String PREFIX = "cairn";

    private WalletAddress() {
    }

    public static String of(KeyAlgorithm algorithm, byte[] publicKey) {
        byte[] payload = new byte[33];
        payload[0] = algorithm.code();
        System.arraycopy(sha256(publicKey), 0, payload, 1, 32);
        return Bech32m.encode(PREFIX, payload);
    }

    /** @throws Bech32m.InvalidBech32Exception when the text is not a valid Cairn address */
    public static KeyAlgorithm parse(String address) {
        Bech32m.Decoded decoded = Bech32m.decode(address);
        if (!decoded.prefix().equals(PREFIX) || decoded.data().length != 33) {
            throw new Bech32m.InvalidBech32Exception("not a Cairn wallet address");
        }
        try {
            return KeyAlgorithm.ofCode(decoded.data()[0]);
        } catch (IllegalArgumentException e) {
            throw new Bech32m.InvalidBech32Exception("not a Cairn wallet address: unknown key type");
        }
    }

    /** Whether this public key is the one the address names. */
    public static boolean matches(String address, byte[] publicKey) {
        return Arrays.equals(Bech32m.decode(address).data(), Bech32m.decode(of(parse(address), publicKey)).data());
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
