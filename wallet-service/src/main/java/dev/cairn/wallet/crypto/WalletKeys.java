package dev.cairn.wallet.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;

import dev.cairn.ledger.crypto.Ed25519;

/**
 * A wallet's key pair. The private part is, per algorithm: the 32-byte Ed25519 seed, the 32-byte
 * P-256 scalar, or the PKCS#8 DER of the RSA key. The public part is the raw 32-byte Ed25519 key,
 * the 33-byte compressed SEC1 P-256 point, or the X.509 SubjectPublicKeyInfo DER of the RSA key.
 */
public record WalletKeys(KeyAlgorithm algorithm, byte[] privateKey, byte[] publicKey, String derivationPath) {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Derives the keys of a recoverable algorithm from a BIP39 seed. */
    public static WalletKeys derive(KeyAlgorithm algorithm, byte[] seed) {
        if (!algorithm.recoverable()) {
            throw new IllegalArgumentException(algorithm + " keys are not derived from a mnemonic");
        }
        Slip10.Node node = Slip10.derive(algorithm.curve(), seed, KeyAlgorithm.DERIVATION_PATH);
        byte[] privateKey = node.privateKey().clone();
        node.destroy();
        return new WalletKeys(algorithm, privateKey, publicKey(algorithm, privateKey), KeyAlgorithm.DERIVATION_PATH);
    }

    /** A new RSA-4096 key pair (public exponent 65537). */
    public static WalletKeys generateRsa() {
        RSAKeyPairGenerator generator = new RSAKeyPairGenerator();
        generator.init(new RSAKeyGenerationParameters(BigInteger.valueOf(65537), RANDOM, 4096, 112));
        AsymmetricCipherKeyPair pair = generator.generateKeyPair();
        try {
            PrivateKeyInfo privateInfo = PrivateKeyInfoFactory.createPrivateKeyInfo(pair.getPrivate());
            SubjectPublicKeyInfo publicInfo = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(pair.getPublic());
            return new WalletKeys(KeyAlgorithm.RSA4096, privateInfo.getEncoded(), publicInfo.getEncoded(), null);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot encode the RSA key", e);
        }
    }

    public static byte[] publicKey(KeyAlgorithm algorithm, byte[] privateKey) {
        return switch (algorithm) {
            case ED25519 -> Ed25519.publicKey(privateKey);
            case P256 -> Slip10.publicKeyP256(privateKey);
            case RSA4096 -> throw new IllegalArgumentException("the RSA public key is stored, not recomputed");
        };
    }

    public String address() {
        return WalletAddress.of(algorithm, publicKey);
    }

    /** Overwrites the private key in memory. */
    public void destroy() {
        Arrays.fill(privateKey, (byte) 0);
    }

    @Override
    public String toString() {
        return "WalletKeys[" + algorithm + ", " + address() + "]";
    }
}
