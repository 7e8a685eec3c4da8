package dev.cairn.ledger.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.engines.RSABlindedEngine;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.PSSSigner;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.crypto.util.PublicKeyFactory;

/**
 * Verification of the signatures Cairn wallets make, with Bouncy Castle, wherever they are
 * checked (the wallet service, the register's chain verification, the validator):
 * <ul>
 *   <li>{@code ED25519}: Ed25519 (RFC 8032) with a 32-byte public key and a 64-byte signature;
 *       pre-hashed: Ed25519ph over a 64-byte SHA-512 digest;</li>
 *   <li>{@code P256}: ECDSA with SHA-256 over P-256, compressed or uncompressed SEC1 public key,
 *       DER signature; pre-hashed: over a 32-byte SHA-256 digest;</li>
 *   <li>{@code RSA4096}: RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt, X.509
 *       SubjectPublicKeyInfo public key of at least 2048 bits; pre-hashed: over a 32-byte
 *       SHA-256 digest.</li>
 * </ul>
 * A malformed key or signature, or an unknown algorithm, does not verify.
 */
public final class SignatureVerifier {

    public static final String ED25519 = "ED25519";
    public static final String P256 = "P256";
    public static final String RSA4096 = "RSA4096";

    private static final X9ECParameters P256_CURVE = CustomNamedCurves.getByName("secp256r1");
    private static final ECDomainParameters P256_DOMAIN = new ECDomainParameters(P256_CURVE.getCurve(), P256_CURVE.getG(),
            P256_CURVE.getN(), P256_CURVE.getH());

    private SignatureVerifier() {
    }

    public static boolean isKnown(String algorithm) {
        return ED25519.equals(algorithm) || P256.equals(algorithm) || RSA4096.equals(algorithm);
    }

    public static boolean verify(String algorithm, byte[] publicKey, byte[] data, byte[] signature) {
        return verify(algorithm, publicKey, data, signature, false);
    }

    public static boolean verify(String algorithm, byte[] publicKey, byte[] data, byte[] signature, boolean preHashed) {
        if (publicKey == null || data == null || signature == null || algorithm == null) {
            return false;
        }
        try {
            return switch (algorithm) {
                case ED25519 -> preHashed ? Ed25519.verifyPrehashed(publicKey, data, signature) : Ed25519.verify(publicKey, data, signature);
                case P256 -> {
                    if (preHashed && data.length != 32) {
                        yield false;
                    }
                    BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(P256_CURVE.getN(), signature);
                    ECDSASigner verifier = new ECDSASigner();
                    verifier.init(false, new ECPublicKeyParameters(P256_CURVE.getCurve().decodePoint(publicKey), P256_DOMAIN));
                    yield verifier.verifySignature(preHashed ? data : sha256(data), rs[0], rs[1]);
                }
                case RSA4096 -> {
                    if (preHashed && data.length != 32) {
                        yield false;
                    }
                    AsymmetricKeyParameter key = PublicKeyFactory.createKey(publicKey);
                    if (!(key instanceof RSAKeyParameters rsa) || rsa.getModulus().bitLength() < 2048) {
                        yield false;
                    }
                    PSSSigner verifier = preHashed ? PSSSigner.createRawSigner(new RSABlindedEngine(), new SHA256Digest(), new SHA256Digest(),
                            32, PSSSigner.TRAILER_IMPLICIT) : new PSSSigner(new RSABlindedEngine(), new SHA256Digest(), 32);
                    verifier.init(false, key);
                    verifier.update(data, 0, data.length);
                    yield verifier.verifySignature(signature);
                }
                default -> false;
            };
        } catch (IOException | RuntimeException e) {
            return false; // a malformed key or signature does not verify
        }
    }

    /**
     * Whether a P256 signature is in its one canonical form: strict DER, and S in the lower half of
     * the curve order. (R, N - S) verifies as well as (R, S); ledger records accept only one of
     * the two, so that a stored signature cannot be changed without notice.
     */
    public static boolean isCanonicalP256(byte[] signature) {
        try {
            BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(P256_CURVE.getN(), signature);
            return rs[1].compareTo(P256_CURVE.getN().shiftRight(1)) <= 0
                    && java.util.Arrays.equals(StandardDSAEncoding.INSTANCE.encode(P256_CURVE.getN(), rs[0], rs[1]), signature);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    public static byte[] sha256(byte[] data) {
        return sha256().digest(data);
    }

    /**
     * A new SHA-256 digest: the JDK's, which uses the processor's SHA instructions where it has
     * them (several times Bouncy Castle's pure-Java speed).
     */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
