package dev.cairn.ledger;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MerkleTreeTest {

    private static final HexFormat HEX = HexFormat.of();

    /** The eight leaves of the Certificate Transparency reference tests, and their tree heads. */
    private static final List<byte[]> LEAVES = List.of(HEX.parseHex(""), HEX.parseHex("00"), HEX.parseHex("10"), HEX.parseHex("2021"),
            HEX.parseHex("3031"), HEX.parseHex("40414243"), HEX.parseHex("5051525354555657"),
            HEX.parseHex("606162636465666768696a6b6c6d6e6f"));
    private static final List<String> ROOTS = List.of(
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

    @Test
    void aFrontierGrowsTheSameTreeAsAllItsLeaves() {
        List<byte[]> leaves = new ArrayList<>();
        List<byte[]> frontier = List.of();
        assertThat(MerkleTree.frontierRoot(frontier)).isEqualTo(MerkleTree.root(leaves));
        for (int size = 0; size < 300; size++) {
            byte[] leaf = new byte[32];
            leaf[0] = (byte) size;
            leaf[1] = (byte) (size >> 8);
            frontier = MerkleTree.append(frontier, size, leaf);
            leaves.add(leaf);
            assertThat(frontier).hasSize(Long.bitCount(size + 1));
            assertThat(MerkleTree.frontierRoot(frontier)).as("size %d", size + 1).isEqualTo(MerkleTree.root(leaves));
        }
    }

    @Test
    void treeHeadsMatchTheReferenceVectors() {
        assertThat(HEX.formatHex(MerkleTree.root(List.of())))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        for (int size = 1; size <= 8; size++) {
            assertThat(HEX.formatHex(MerkleTree.root(LEAVES.subList(0, size)))).as("tree of %d", size).isEqualTo(ROOTS.get(size - 1));
        }
    }

    @Test
    void everyInclusionProofVerifiesAndNoAlteredOneDoes() {
        for (int size = 1; size <= 33; size++) {
            List<byte[]> leaves = leaves(size);
            byte[] root = MerkleTree.root(leaves);
            for (int index = 0; index < size; index++) {
                List<byte[]> proof = MerkleTree.inclusionProof(index, leaves);
                byte[] leaf = MerkleTree.leafHash(leaves.get(index));
                assertThat(MerkleTree.verifyInclusion(index, size, leaf, proof, root)).as("leaf %d of %d", index, size).isTrue();
                assertThat(MerkleTree.verifyInclusion(index, size, MerkleTree.leafHash(new byte[] {9}), proof, root)).isFalse();
                if (size > 1) {
                    assertThat(MerkleTree.verifyInclusion((index + 1) % size, size, leaf, proof, root)).isFalse();
                    for (int element = 0; element < proof.size(); element++) {
                        assertThat(MerkleTree.verifyInclusion(index, size, leaf, flipOneBit(proof, element, index), root)).isFalse();
                    }
                }
            }
        }
    }

    @Test
    void everyConsistencyProofVerifiesAndNoAlteredOneDoes() {
        for (int second = 1; second <= 33; second++) {
            List<byte[]> leaves = leaves(second);
            byte[] secondRoot = MerkleTree.root(leaves);
            for (int first = 1; first <= second; first++) {
                byte[] firstRoot = MerkleTree.root(leaves.subList(0, first));
                List<byte[]> proof = MerkleTree.consistencyProof(first, leaves);
                assertThat(MerkleTree.verifyConsistency(first, second, firstRoot, secondRoot, proof)).as("%d -> %d", first, second).isTrue();
                assertThat(MerkleTree.verifyConsistency(first, second, MerkleTree.leafHash(new byte[] {1}), secondRoot, proof)).isFalse();
                for (int element = 0; element < proof.size(); element++) {
                    assertThat(MerkleTree.verifyConsistency(first, second, firstRoot, secondRoot, flipOneBit(proof, element, first))).isFalse();
                }
            }
        }
    }

    @Test
    void aTreeWhoseHistoryWasRewrittenIsNotConsistent() {
        List<byte[]> leaves = leaves(10);
        List<byte[]> rewritten = new ArrayList<>(leaves);
        rewritten.set(2, new byte[] {42});
        byte[] firstRoot = MerkleTree.root(leaves.subList(0, 5));
        assertThat(MerkleTree.verifyConsistency(5, 10, firstRoot, MerkleTree.root(rewritten), MerkleTree.consistencyProof(5, rewritten)))
                .isFalse();
    }

    private static List<byte[]> leaves(int size) {
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            leaves.add(new byte[] {(byte) i, (byte) (i * 7)});
        }
        return leaves;
    }

    private static List<byte[]> flipOneBit(List<byte[]> proof, int element, int seed) {
        List<byte[]> altered = new ArrayList<>(proof);
        byte[] hash = altered.get(element).clone();
        hash[seed % hash.length] ^= (byte) (1 << (seed % 8));
        altered.set(element, hash);
        return altered;
    }
}
