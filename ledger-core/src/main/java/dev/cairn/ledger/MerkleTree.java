package dev.cairn.ledger;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

import dev.cairn.ledger.crypto.SignatureVerifier;

/**
 * Merkle trees as RFC 9162 (Certificate Transparency 2.0) defines them, with SHA-256: a leaf
 * hashes as {@code SHA-256(0x00 || data)}, an inner node as {@code SHA-256(0x01 || left ||
 * right)}, the empty tree as {@code SHA-256("")}, and a tree of n leaves splits at the largest
 * power of two below n. Inclusion proofs (audit paths) and consistency proofs follow sections
 * 2.1.3 and 2.1.4, and so do their verifications.
 */
public final class MerkleTree {

    private MerkleTree() {
    }

    public static byte[] leafHash(byte[] data) {
        return hash((byte) 0x00, data, null);
    }

    static byte[] nodeHash(byte[] left, byte[] right) {
        return hash((byte) 0x01, left, right);
    }

    /** The tree head over the leaves' data, in order. */
    public static byte[] root(List<byte[]> leaves) {
        if (leaves.isEmpty()) {
            return hash(null, new byte[0], null);
        }
        List<byte[]> level = new ArrayList<>(leaves.size());
        for (byte[] leaf : leaves) {
            level.add(leafHash(leaf));
        }
        // Pairing from the left and carrying an unpaired last node up unchanged builds exactly
        // the left-balanced tree of the RFC.
        while (level.size() > 1) {
            List<byte[]> next = new ArrayList<>((level.size() + 1) / 2);
            for (int i = 0; i + 1 < level.size(); i += 2) {
                next.add(nodeHash(level.get(i), level.get(i + 1)));
            }
            if (level.size() % 2 == 1) {
                next.add(level.get(level.size() - 1));
            }
            level = next;
        }
        return level.get(0);
    }

    /**
     * The compact form of a growing tree: the roots of its perfect subtrees, largest (leftmost)
     * first, one per bit set in the tree's size. It is enough to append a leaf and to compute the
     * tree head, so a register keeps it with each docket instead of reading every docket hash.
     *
     * @param frontier the frontier of the tree of {@code size} leaves
     * @return the frontier of the tree with {@code leaf} appended
     */
    public static List<byte[]> append(List<byte[]> frontier, long size, byte[] leaf) {
        if (Long.bitCount(size) != frontier.size()) {
            throw new IllegalArgumentException("a tree of " + size + " leaves has " + Long.bitCount(size) + " perfect subtrees, not "
                    + frontier.size());
        }
        List<byte[]> next = new ArrayList<>(frontier);
        byte[] node = leafHash(leaf);
        for (long s = size; (s & 1) == 1; s >>= 1) {
            node = nodeHash(next.remove(next.size() - 1), node);
        }
        next.add(node);
        return next;
    }

    /** The tree head of the tree whose {@link #append frontier} this is. */
    public static byte[] frontierRoot(List<byte[]> frontier) {
        if (frontier.isEmpty()) {
            return hash(null, new byte[0], null);
        }
        byte[] root = frontier.get(frontier.size() - 1);
        for (int i = frontier.size() - 2; i >= 0; i--) {
            root = nodeHash(frontier.get(i), root);
        }
        return root;
    }

    /** The audit path of leaf {@code index} in the tree over {@code leaves} (RFC 9162, 2.1.3.1). */
    public static List<byte[]> inclusionProof(int index, List<byte[]> leaves) {
        if (index < 0 || index >= leaves.size()) {
            throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + leaves.size());
        }
        List<byte[]> path = new ArrayList<>();
        path(index, leaves, path);
        return path;
    }

    private static void path(int index, List<byte[]> leaves, List<byte[]> out) {
        int n = leaves.size();
        if (n <= 1) {
            return;
        }
        int k = split(n);
        if (index < k) {
            path(index, leaves.subList(0, k), out);
            out.add(root(leaves.subList(k, n)));
        } else {
            path(index - k, leaves.subList(k, n), out);
            out.add(root(leaves.subList(0, k)));
        }
    }

    /** Whether {@code proof} shows that the leaf with {@code leafHash} is leaf {@code index} of the tree with {@code root}. */
    public static boolean verifyInclusion(long index, long treeSize, byte[] leafHash, List<byte[]> proof, byte[] root) {
        if (index < 0 || index >= treeSize) {
            return false;
        }
        long fn = index;
        long sn = treeSize - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                r = nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(r, root);
    }

    /** The proof that the tree over the first {@code first} leaves is a prefix of the tree over all of them (RFC 9162, 2.1.4.1). */
    public static List<byte[]> consistencyProof(int first, List<byte[]> leaves) {
        if (first < 1 || first > leaves.size()) {
            throw new IllegalArgumentException("a consistency proof needs 1 <= first <= " + leaves.size() + ", got " + first);
        }
        List<byte[]> proof = new ArrayList<>();
        subproof(first, leaves, true, proof);
        return proof;
    }

    private static void subproof(int m, List<byte[]> leaves, boolean complete, List<byte[]> out) {
        int n = leaves.size();
        if (m == n) {
            if (!complete) {
                out.add(root(leaves));
            }
            return;
        }
        int k = split(n);
        if (m <= k) {
            subproof(m, leaves.subList(0, k), complete, out);
            out.add(root(leaves.subList(k, n)));
        } else {
            subproof(m - k, leaves.subList(k, n), false, out);
            out.add(root(leaves.subList(0, k)));
        }
    }

    /** Whether {@code proof} shows that the tree of {@code first} leaves with {@code firstRoot} is a prefix of the tree with {@code secondRoot}. */
    public static boolean verifyConsistency(long first, long second, byte[] firstRoot, byte[] secondRoot, List<byte[]> proof) {
        if (first < 1 || first > second) {
            return false;
        }
        if (first == second) {
            return proof.isEmpty() && MessageDigest.isEqual(firstRoot, secondRoot);
        }
        List<byte[]> path = new ArrayList<>(proof);
        if (Long.bitCount(first) == 1) {
            path.add(0, firstRoot);
        }
        if (path.isEmpty()) {
            return false;
        }
        long fn = first - 1;
        long sn = second - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (byte[] c : path.subList(1, path.size())) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = nodeHash(c, fr);
                sr = nodeHash(c, sr);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                sr = nodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(fr, firstRoot) && MessageDigest.isEqual(sr, secondRoot);
    }

    /** The largest power of two smaller than n (n > 1). */
    private static int split(int n) {
        return Integer.highestOneBit(n - 1);
    }

    private static byte[] hash(Byte prefix, byte[] a, byte[] b) {
        MessageDigest digest = SignatureVerifier.sha256();
        if (prefix != null) {
            digest.update(prefix);
        }
        digest.update(a);
        if (b != null) {
            digest.update(b);
        }
        return digest.digest();
    }
}
