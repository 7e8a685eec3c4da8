package dev.cairn.platform.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.DataLengthException;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.encodings.OAEPEncoding;
import org.bouncycastle.crypto.engines.RSABlindedEngine;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.bouncycastle.util.BigIntegers;

/**
 * Encryption to a wallet's public key; only the wallet's private key decrypts. The wallet service
 * decrypts with the keys it holds; anyone with a wallet's public key encrypts to it (the blueprint
 * service does, for each participant of a workflow step). Every
 * construction ends in AES-256-GCM whose associated data is the ciphertext's header, so no
 * part of it can be swapped.
 *
 * <ul>
 *   <li>ED25519: the Ed25519 keys are mapped to X25519 (the public key by the birational map
 *       u = (1+y)/(1-y); the private key as SHA-512(seed)[0..32]); an ephemeral X25519 key
 *       agrees a secret; HKDF-SHA256 (salt = ephemeral || recipient public key, info
 *       "cairn/wallet/x25519/v1") gives the AES key.
 *       Layout: {@code 0x01 | ephemeral (32) | nonce (12) | ciphertext+tag}.</li>
 *   <li>P256: ECDH with an ephemeral P-256 key (shared x-coordinate), HKDF-SHA256 (salt =
 *       ephemeral || recipient compressed points, info "cairn/wallet/p256/v1").
 *       Layout: {@code 0x01 | ephemeral compressed (33) | nonce (12) | ciphertext+tag}.</li>
 *   <li>RSA4096: RSA-OAEP with SHA-256 and MGF1-SHA-256 wraps a random AES-256 key.
 *       Layout: {@code 0x01 | wrapped key (512) | nonce (12) | ciphertext+tag}.</li>
 * </ul>
 */
public final class WalletEncryption {

    private static final byte VERSION = 1;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
    private static final BigInteger P25519 = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));

    /** A ciphertext that this key cannot open: wrong key, wrong wallet, or altered. */
    public static final class DecryptionException extends IllegalArgumentException {
        public DecryptionException(String message) {
            super(message);
        }
    }

    private WalletEncryption() {
    }

    /** @param algorithm {@code ED25519}, {@code P256} or {@code RSA4096} */
    public static byte[] encrypt(String algorithm, byte[] publicKey, byte[] plaintext) {
        return switch (algorithm) {
            case "ED25519" -> {
                byte[] recipient = edwardsToMontgomery(publicKey);
                byte[] ephemeralPrivate = new byte[32];
                X25519.generatePrivateKey(RANDOM, ephemeralPrivate);
                byte[] ephemeralPublic = new byte[32];
                X25519.generatePublicKey(ephemeralPrivate, 0, ephemeralPublic, 0);
                byte[] shared = new byte[32];
                if (!X25519.calculateAgreement(ephemeralPrivate, 0, recipient, 0, shared, 0)) {
                    throw new IllegalArgumentException("not a usable public key");
                }
                Arrays.fill(ephemeralPrivate, (byte) 0);
                byte[] header = header(ephemeralPublic);
                yield seal(hkdf(shared, concat(ephemeralPublic, recipient), "cairn/wallet/x25519/v1"), header, plaintext);
            }
            case "P256" -> {
                ECPoint recipient = P256.getCurve().decodePoint(publicKey);
                BigInteger ephemeral = BigIntegers.createRandomInRange(BigInteger.ONE, P256.getN().subtract(BigInteger.ONE), RANDOM);
                byte[] ephemeralPublic = P256.getG().multiply(ephemeral).normalize().getEncoded(true);
                byte[] shared = BigIntegers.asUnsignedByteArray(32, recipient.multiply(ephemeral).normalize().getAffineXCoord().toBigInteger());
                byte[] header = header(ephemeralPublic);
                yield seal(hkdf(shared, concat(ephemeralPublic, publicKey), "cairn/wallet/p256/v1"), header, plaintext);
            }
            case "RSA4096" -> {
                byte[] key = AesGcm.newKey();
                try {
                    OAEPEncoding oaep = new OAEPEncoding(new RSABlindedEngine(), new SHA256Digest(), new SHA256Digest(), null);
                    oaep.init(true, PublicKeyFactory.createKey(publicKey));
                    byte[] wrapped = oaep.processBlock(key, 0, key.length);
                    yield seal(key, header(wrapped), plaintext);
                } catch (IOException | InvalidCipherTextException e) {
                    throw new IllegalStateException("RSA-OAEP key wrapping failed", e);
                } finally {
                    Arrays.fill(key, (byte) 0);
                }
            }
            default -> throw new IllegalArgumentException("unknown key algorithm " + algorithm);
        };
    }

    public static byte[] decrypt(String algorithm, byte[] privateKey, byte[] publicKey, byte[] ciphertext) {
        if (ciphertext.length < 1 || ciphertext[0] != VERSION) {
            throw new DecryptionException("not a Cairn wallet ciphertext");
        }
        return switch (algorithm) {
            case "ED25519" -> {
                byte[] ephemeralPublic = slice(ciphertext, 1, 32);
                byte[] scalar = x25519PrivateKey(privateKey);
                byte[] shared = new byte[32];
                boolean ok = X25519.calculateAgreement(scalar, 0, ephemeralPublic, 0, shared, 0);
                Arrays.fill(scalar, (byte) 0);
                if (!ok) {
                    throw new DecryptionException("the ciphertext cannot be decrypted with this wallet");
                }
                yield open(hkdf(shared, concat(ephemeralPublic, edwardsToMontgomery(publicKey)), "cairn/wallet/x25519/v1"),
                        ciphertext, 33);
            }
            case "P256" -> {
                byte[] ephemeralPublic = slice(ciphertext, 1, 33);
                ECPoint ephemeral;
                try {
                    ephemeral = P256.getCurve().decodePoint(ephemeralPublic);
                } catch (IllegalArgumentException e) {
                    throw new DecryptionException("the ciphertext cannot be decrypted with this wallet");
                }
                byte[] shared = BigIntegers.asUnsignedByteArray(32,
                        ephemeral.multiply(new BigInteger(1, privateKey)).normalize().getAffineXCoord().toBigInteger());
                yield open(hkdf(shared, concat(ephemeralPublic, publicKey), "cairn/wallet/p256/v1"), ciphertext, 34);
            }
            case "RSA4096" -> {
                byte[] wrapped = slice(ciphertext, 1, 512);
                byte[] key;
                try {
                    OAEPEncoding oaep = new OAEPEncoding(new RSABlindedEngine(), new SHA256Digest(), new SHA256Digest(), null);
                    oaep.init(false, PrivateKeyFactory.createKey(privateKey));
                    key = oaep.processBlock(wrapped, 0, wrapped.length);
                } catch (IOException | InvalidCipherTextException | DataLengthException e) {
                    // DataLengthException: the wrapped key, as a number, is not below this key's modulus
                    throw new DecryptionException("the ciphertext cannot be decrypted with this wallet");
                }
                try {
                    yield open(key, ciphertext, 513);
                } finally {
                    Arrays.fill(key, (byte) 0);
                }
            }
            default -> throw new IllegalArgumentException("unknown key algorithm " + algorithm);
        };
    }

    /** The X25519 public key of an Ed25519 public key: u = (1 + y) / (1 - y) mod p. */
    public static byte[] edwardsToMontgomery(byte[] edwards) {
        if (edwards.length != 32) {
            throw new IllegalArgumentException("not an Ed25519 public key");
        }
        byte[] bigEndian = reverse(edwards);
        bigEndian[0] &= 0x7f;
        BigInteger y = new BigInteger(1, bigEndian);
        BigInteger u = BigInteger.ONE.add(y).multiply(BigInteger.ONE.subtract(y).mod(P25519).modInverse(P25519)).mod(P25519);
        return reverse(BigIntegers.asUnsignedByteArray(32, u));
    }

    /** The X25519 private scalar of an Ed25519 seed (RFC 8032 key expansion, before clamping). */
    public static byte[] x25519PrivateKey(byte[] ed25519Seed) {
        SHA512Digest digest = new SHA512Digest();
        digest.update(ed25519Seed, 0, ed25519Seed.length);
        byte[] hash = new byte[64];
        digest.doFinal(hash, 0);
        byte[] scalar = Arrays.copyOf(hash, 32);
        Arrays.fill(hash, (byte) 0);
        return scalar;
    }

    private static byte[] seal(byte[] key, byte[] header, byte[] plaintext) {
        byte[] sealed = AesGcm.encrypt(key, plaintext, header);
        Arrays.fill(key, (byte) 0);
        return ByteBuffer.allocate(header.length + sealed.length).put(header).put(sealed).array();
    }

    private static byte[] open(byte[] key, byte[] ciphertext, int headerLength) {
        if (ciphertext.length < headerLength + 28) {
            throw new DecryptionException("not a Cairn wallet ciphertext");
        }
        try {
            return AesGcm.decrypt(key, Arrays.copyOfRange(ciphertext, headerLength, ciphertext.length),
                    Arrays.copyOf(ciphertext, headerLength));
        } catch (IllegalArgumentException e) {
            throw new DecryptionException("the ciphertext cannot be decrypted with this wallet");
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static byte[] header(byte[] material) {
        return ByteBuffer.allocate(1 + material.length).put(VERSION).put(material).array();
    }

    private static byte[] hkdf(byte[] shared, byte[] salt, String info) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(shared, salt, info.getBytes(StandardCharsets.US_ASCII)));
        byte[] key = new byte[32];
        hkdf.generateBytes(key, 0, 32);
        Arrays.fill(shared, (byte) 0);
        return key;
    }

    private static byte[] slice(byte[] data, int from, int length) {
        if (data.length < from + length) {
            throw new DecryptionException("not a Cairn wallet ciphertext");
        }
        return Arrays.copyOfRange(data, from, from + length);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] reverse(byte[] in) {
        byte[] out = new byte[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = in[in.length - 1 - i];
        }
        return out;
    }
}
