package dev.cairn.wallet.crypto;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import dev.cairn.ledger.crypto.Ed25519;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The published SLIP-0010 test vectors for ed25519 and nist256p1. */
class Slip10Test {

    private static final byte[] SEED_1 = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");
    private static final int H = Slip10.HARDENED;

    @Test
    void ed25519TestVector1() {
        Slip10.Node node = Slip10.master(Slip10.Curve.ED25519, SEED_1);
        assertNode(node, "90046a93de5380a72b5e45010748567d5ea02bbf6522f979e05c0d8d8ca9fffb",
                "2b4be7f19ee27bbf30c667b642d5f4aa69fd169872f8fc3059c08ebae2eb19e7");
        assertThat("00" + HexFormat.of().formatHex(Ed25519.publicKey(node.privateKey())))
                .isEqualTo("00a4b2856bfec510abab89753fac1ac0e1112364e7d250545963f135f2a33188ed");
        int[] path = {0 | H, 1 | H, 2 | H, 2 | H, 1_000_000_000 | H};
        String[][] expected = {
                {"8b59aa11380b624e81507a27fedda59fea6d0b779a778918a2fd3590e16e9c69", "68e0fe46dfb67e368c75379acec591dad19df3cde26e63b93a8e704f1dade7a3"},
                {"a320425f77d1b5c2505a6b1b27382b37368ee640e3557c315416801243552f14", "b1d0bad404bf35da785a64ca1ac54b2617211d2777696fbffaf208f746ae84f2"},
                {"2e69929e00b5ab250f49c3fb1c12f252de4fed2c1db88387094a0f8c4c9ccd6c", "92a5b23c0b8a99e37d07df3fb9966917f5d06e02ddbd909c7e184371463e9fc9"},
                {"8f6d87f93d750e0efccda017d662a1b31a266e4a6f5993b15f5c1f07f74dd5cc", "30d1dc7e5fc04c31219ab25a27ae00b50f6fd66622f6e9c913253d6511d1e662"},
                {"68789923a0cac2cd5a29172a475fe9e0fb14cd6adb5ad98a3fa70333e7afa230", "8f94d394a8e8fd6b1bc2f3f49f5c47e385281d5c17e65324b0f62483e37e8793"}};
        for (int i = 0; i < path.length; i++) {
            node = Slip10.child(node, path[i]);
            assertNode(node, expected[i][0], expected[i][1]);
        }
        assertThat(HexFormat.of().formatHex(Slip10.derive(Slip10.Curve.ED25519, SEED_1, "m/0'/1'/2'/2'/1000000000'").privateKey()))
                .isEqualTo(expected[4][1]);
    }

    @Test
    void ed25519IsHardenedOnly() {
        assertThatThrownBy(() -> Slip10.child(Slip10.master(Slip10.Curve.ED25519, SEED_1), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nist256p1TestVector1() {
        Slip10.Node node = Slip10.master(Slip10.Curve.NIST_P256, SEED_1);
        assertNode(node, "beeb672fe4621673f722f38529c07392fecaa61015c80c34f29ce8b41b3cb6ea",
                "612091aaa12e22dd2abef664f8a01a82cae99ad7441b7ef8110424915c268bc2");
        assertThat(HexFormat.of().formatHex(Slip10.publicKeyP256(node.privateKey())))
                .isEqualTo("0266874dc6ade47b3ecd096745ca09bcd29638dd52c2c12117b11ed3e458cfa9e8");
        int[] path = {0 | H, 1, 2 | H, 2, 1_000_000_000};
        String[][] expected = {
                {"3460cea53e6a6bb5fb391eeef3237ffd8724bf0a40e94943c98b83825342ee11", "6939694369114c67917a182c59ddb8cafc3004e63ca5d3b84403ba8613debc0c"},
                {"4187afff1aafa8445010097fb99d23aee9f599450c7bd140b6826ac22ba21d0c", "284e9d38d07d21e4e281b645089a94f4cf5a5a81369acf151a1c3a57f18b2129"},
                {"98c7514f562e64e74170cc3cf304ee1ce54d6b6da4f880f313e8204c2a185318", "694596e8a54f252c960eb771a3c41e7e32496d03b954aeb90f61635b8e092aa7"},
                {"ba96f776a5c3907d7fd48bde5620ee374d4acfd540378476019eab70790c63a0", "5996c37fd3dd2679039b23ed6f70b506c6b56b3cb5e424681fb0fa64caf82aaa"},
                {"b9b7b82d326bb9cb5b5b121066feea4eb93d5241103c9e7a18aad40f1dde8059", "21c4f269ef0a5fd1badf47eeacebeeaa3de22eb8e5b0adcd0f27dd99d34d0119"}};
        for (int i = 0; i < path.length; i++) {
            node = Slip10.child(node, path[i]);
            assertNode(node, expected[i][0], expected[i][1]);
        }
        assertThat(HexFormat.of().formatHex(Slip10.publicKeyP256(
                Slip10.derive(Slip10.Curve.NIST_P256, SEED_1, "m/0'").privateKey())))
                .isEqualTo("0384610f5ecffe8fda089363a41f56a5c7ffc1d81b59a612d0d649b2d22355590c");
    }

    @Test
    void nist256p1RetriesDerivationAsPublished() {
        Slip10.Node node = Slip10.child(Slip10.master(Slip10.Curve.NIST_P256, SEED_1), 28578 | H);
        assertNode(node, "e94c8ebe30c2250a14713212f6449b20f3329105ea15b652ca5bdfc68f6c65c2",
                "06f0db126f023755d0b8d86d4591718a5210dd8d024e3e14b6159d63f53aa669");
        node = Slip10.child(node, 33941);
        assertNode(node, "9e87fe95031f14736774cd82f25fd885065cb7c358c1edf813c72af535e83071",
                "092154eed4af83e078ff9b84322015aefe5769e31270f62c3f66c33888335f3a");
    }

    @Test
    void nist256p1RetriesTheSeedAsPublished() {
        Slip10.Node node = Slip10.master(Slip10.Curve.NIST_P256,
                HexFormat.of().parseHex("a7305bc8df8d0951f0cb224c0e95d7707cbdf2c6ce7e8d481fec69c7ff5e9446"));
        assertNode(node, "7762f9729fed06121fd13f326884c82f59aa95c57ac492ce8c9654e60efd130c",
                "3b8c18469a4634517d6d0b65448f8e6c62091b45540a1743c5846be55d47d88f");
    }

    private static void assertNode(Slip10.Node node, String chainCode, String privateKey) {
        assertThat(HexFormat.of().formatHex(node.chainCode())).isEqualTo(chainCode);
        assertThat(HexFormat.of().formatHex(node.privateKey())).isEqualTo(privateKey);
    }
}
