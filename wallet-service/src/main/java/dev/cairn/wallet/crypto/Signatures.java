package dev.cairn.wallet.crypto;

import java.io.IOException;
import java.math.BigInteger;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.engines.RSABlindedEngine;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.PSSSigner;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.crypto.util.PrivateKeyFactory;

import dev.cairn.ledger.crypto.Ed25519;
import dev.cairn.ledger.crypto.SignatureVerifier;

/**
 * Signing and verification, all with Bouncy Castle:
 * <ul>
 *   <li>ED25519: Ed25519 (RFC 8032), 64-byte signature; pre-hashed: Ed25519ph over a 64-byte
 *       SHA-512 digest;</li>
 *   <li>P256: ECDSA with SHA-256 and deterministic nonces (RFC 6979), DER signature with low S;
 *       pre-hashed: over a 32-byte SHA-256 digest;</li>
 *   <li>RSA4096: RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt; pre-hashed: over a
 *       32-byte SHA-256 digest.</li>
 * </ul>
 */
public final class Signatures {

    private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
    private static final ECDomainParameters P256_DOMAIN = new ECDomainParameters(P256.getCurve(), P256.getG(), P256.getN(), P256.getH());
    private static final byte[] NO_CONTEXT = new byte[0];

    private Signatures() {
    }

    /** The digest size a pre-hashed input must have. */
    public static int prehashSize(KeyAlgorithm algorithm) {
        return algorithm == KeyAlgorithm.ED25519 ? 64 : 32;
    }

    public static byte[] sign(KeyAlgorithm algorithm, byte[] privateKey, byte[] data, boolean preHashed) {
        checkPrehash(algorithm, data, preHashed);
        return switch (algorithm) {
            case ED25519 -> {
                if (!preHashed) {
                    yield Ed25519.sign(privateKey, data);
                }
                byte[] signature = new byte[64];
                org.bouncycastle.math.ec.rfc8032.Ed25519.signPrehash(privateKey, 0, NO_CONTEXT, data, 0, signature, 0);
                yield signature;
            }
            case P256 -> {
                byte[] digest = preHashed ? data : sha256(data);
                ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
                signer.init(true, new ECPrivateKeyParameters(new BigInteger(1, privateKey), P256_DOMAIN));
                BigInteger[] rs = signer.generateSignature(digest);
                BigInteger s = rs[1];
                if (s.compareTo(P256.getN().shiftRight(1)) > 0) {
                    s = P256.getN().subtract(s);
                }
                try {
                    yield StandardDSAEncoding.INSTANCE.encode(P256.getN(), rs[0], s);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            case RSA4096 -> {
                try {
                    PSSSigner signer = preHashed ? PSSSigner.createRawSigner(new RSABlindedEngine(), new SHA256Digest(), new SHA256Digest(), 32,
                            PSSSigner.TRAILER_IMPLICIT) : new PSSSigner(new RSABlindedEngine(), new SHA256Digest(), 32);
                    signer.init(true, PrivateKeyFactory.createKey(privateKey));
                    signer.update(data, 0, data.length);
                    yield signer.generateSignature();
                } catch (IOException | CryptoException e) {
                    throw new IllegalStateException("RSA signing failed", e);
                }
            }
        };
    }

    public static boolean verify(KeyAlgorithm algorithm, byte[] publicKey, byte[] data, byte[] signature, boolean preHashed) {
        checkPrehash(algorithm, data, preHashed);
        return SignatureVerifier.verify(algorithm.name(), publicKey, data, signature, preHashed);
    }

    private static void checkPrehash(KeyAlgorithm algorithm, byte[] data, boolean preHashed) {
        if (preHashed && data.length != prehashSize(algorithm)) {
            throw new IllegalArgumentException("pre-hashed data for " + algorithm + " must be a " + prehashSize(algorithm) + "-byte "
                    + (algorithm == KeyAlgorithm.ED25519 ? "SHA-512" : "SHA-256") + " digest");
        }
    }

    static byte[] sha256(byte[] data) {
        return SignatureVerifier.sha256(data);
    }
}
