package dev.cairn.ledger.crypto;

import java.util.Arrays;
import java.util.List;

/**
 * Cairn addresses: Bech32m with prefix {@value #PREFIX} over one byte naming the key algorithm
 * ({@code ED25519} 0, {@code P256} 1, {@code RSA4096} 2) followed by the SHA-256 of the public
 * key. Wallets hand them out; the validator checks that a transaction's sender is the address of
 * the key that signed it.
 */
public final class LedgerAddress {

    public static final String PREFIX = "cairn";
    private static final List<String> ALGORITHMS = List.of(SignatureVerifier.ED25519, SignatureVerifier.P256, SignatureVerifier.RSA4096);

    private LedgerAddress() {
    }

    public static String of(String algorithm, byte[] publicKey) {
        int code = ALGORITHMS.indexOf(algorithm);
        if (code < 0) {
            throw new IllegalArgumentException("unknown algorithm " + algorithm);
        }
        byte[] payload = new byte[33];
        payload[0] = (byte) code;
        System.arraycopy(SignatureVerifier.sha256(publicKey), 0, payload, 1, 32);
        return Bech32m.encode(PREFIX, payload);
    }

    /**
     * The algorithm the address names.
     *
     * @throws Bech32m.InvalidBech32Exception when the text is not a valid Cairn address
     */
    public static String algorithm(String address) {
        Bech32m.Decoded decoded = Bech32m.decode(address);
        if (!decoded.prefix().equals(PREFIX) || decoded.data().length != 33) {
            throw new Bech32m.InvalidBech32Exception("not a Cairn wallet address");
        }
        int code = decoded.data()[0];
        if (code < 0 || code >= ALGORITHMS.size()) {
            throw new Bech32m.InvalidBech32Exception("not a Cairn wallet address: unknown key type");
        }
        return ALGORITHMS.get(code);
    }

    /** Whether the text is a valid Cairn address (checksum, prefix, key type). */
    public static boolean isValid(String address) {
        if (address == null) {
            return false;
        }
        try {
            algorithm(address);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether the address is that of this key; false for anything that is not a valid address. */
    public static boolean matches(String address, String algorithm, byte[] publicKey) {
        try {
            return algorithm(address).equals(algorithm)
                    && Arrays.equals(Bech32m.decode(address).data(), Bech32m.decode(of(algorithm, publicKey)).data());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
