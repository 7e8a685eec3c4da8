package dev.cairn.wallet.crypto;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.util.BigIntegers;

/**
 * SLIP-0010 hierarchical derivation from a BIP39 seed, for ed25519 (hardened children only) and
 * nist256p1 (hardened and normal children, with the SLIP-0010 retry rules when a derived key
 * falls outside the curve order).
 */
public final class Slip10 {

    public static final int HARDENED = 0x8000_0000;

    public enum Curve {
        ED25519("ed25519 seed"),
        NIST_P256("Nist256p1 seed");

        final byte[] seedKey;

        Curve(String seedKey) {
            this.seedKey = seedKey.getBytes(StandardCharsets.US_ASCII);
        }
    }

    private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");

    /** A node of the tree: a 32-byte private key and its chain code. */
    public record Node(Curve curve, byte[] privateKey, byte[] chainCode) {
        public void destroy() {
            Arrays.fill(privateKey, (byte) 0);
            Arrays.fill(chainCode, (byte) 0);
        }

        @Override
        public String toString() {
            return "Node[" + curve + "]";
        }
    }

    private Slip10() {
    }

    public static Node master(Curve curve, byte[] seed) {
        byte[] data = seed;
        while (true) {
            byte[] i = hmac(curve.seedKey, data);
            byte[] key = Arrays.copyOfRange(i, 0, 32);
            byte[] chain = Arrays.copyOfRange(i, 32, 64);
            if (curve == Curve.ED25519 || valid(new BigInteger(1, key))) {
                return new Node(curve, key, chain);
            }
            data = i;
        }
    }

    public static Node child(Node parent, int index) {
        boolean hardened = (index & HARDENED) != 0;
        if (parent.curve() == Curve.ED25519 && !hardened) {
            throw new IllegalArgumentException("ed25519 derivation is hardened only");
        }
        byte[] data = ByteBuffer.allocate(37)
                .put(hardened ? concat(new byte[] {0}, parent.privateKey()) : publicKeyP256(parent.privateKey()))
                .putInt(index)
                .array();
        while (true) {
            byte[] i = hmac(parent.chainCode(), data);
            byte[] il = Arrays.copyOfRange(i, 0, 32);
            byte[] chain = Arrays.copyOfRange(i, 32, 64);
            if (parent.curve() == Curve.ED25519) {
                return new Node(Curve.ED25519, il, chain);
            }
            BigInteger n = P256.getN();
            BigInteger parse = new BigInteger(1, il);
            BigInteger key = parse.add(new BigInteger(1, parent.privateKey())).mod(n);
            if (parse.compareTo(n) < 0 && key.signum() != 0) {
                return new Node(Curve.NIST_P256, BigIntegers.asUnsignedByteArray(32, key), chain);
            }
            data = ByteBuffer.allocate(37).put((byte) 1).put(chain).putInt(index).array();
        }
    }

    /** Derives along a path such as {@code m/44'/2490'/0'/0'/0'}. */
    public static Node derive(Curve curve, byte[] seed, String path) {
        Node node = master(curve, seed);
        String[] parts = path.trim().split("/");
        if (!parts[0].equals("m")) {
            throw new IllegalArgumentException("a path starts with m");
        }
        for (int k = 1; k < parts.length; k++) {
            String part = parts[k];
            boolean hardened = part.endsWith("'") || part.endsWith("H") || part.endsWith("h");
            long value = Long.parseLong(hardened ? part.substring(0, part.length() - 1) : part);
            if (value < 0 || value >= (1L << 31)) {
                throw new IllegalArgumentException("path index out of range: " + part);
            }
            Node next = child(node, hardened ? (int) (value | HARDENED) : (int) value);
            node.destroy();
            node = next;
        }
        return node;
    }

    /** The 33-byte compressed SEC1 public key of a P-256 private key. */
    public static byte[] publicKeyP256(byte[] privateKey) {
        return P256.getG().multiply(new BigInteger(1, privateKey)).normalize().getEncoded(true);
    }

    private static boolean valid(BigInteger key) {
        return key.signum() > 0 && key.compareTo(P256.getN()) < 0;
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        HMac mac = new HMac(new SHA512Digest());
        mac.init(new KeyParameter(key));
        mac.update(data, 0, data.length);
        byte[] out = new byte[64];
        mac.doFinal(out, 0);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
