package dev.cairn.wallet.crypto;

/**
 * The key types a wallet can hold, with the byte that names them in addresses.
 *
 * <p>ED25519 and P256 keys are derived from the wallet's BIP39 mnemonic by SLIP-0010 along
 * {@link #DERIVATION_PATH}, so the mnemonic recovers them. RSA4096 keys are generated at random:
 * no standard derives RSA keys from a seed, so they cannot be recovered from a mnemonic.
 */
public enum KeyAlgorithm {
    ED25519((byte) 0x00, Slip10.Curve.ED25519),
    P256((byte) 0x01, Slip10.Curve.NIST_P256),
    RSA4096((byte) 0x02, null);

    /**
     * BIP44-shaped, fully hardened: purpose 44', coin type 2490' (Cairn's), account 0', change
     * 0', index 0'.
     */
    public static final String DERIVATION_PATH = "m/44'/2490'/0'/0'/0'";

    private final byte code;
    private final Slip10.Curve curve;

    KeyAlgorithm(byte code, Slip10.Curve curve) {
        this.code = code;
        this.curve = curve;
    }

    public byte code() {
        return code;
    }

    public boolean recoverable() {
        return curve != null;
    }

    public Slip10.Curve curve() {
        return curve;
    }

    public static KeyAlgorithm ofCode(byte code) {
        for (KeyAlgorithm algorithm : values()) {
            if (algorithm.code == code) {
                return algorithm;
            }
        }
        throw new IllegalArgumentException("unknown algorithm byte " + code);
    }
}
