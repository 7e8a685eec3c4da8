package dev.cairn.ledger.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 8032's own vectors, keys that are not points, and more keys than the decoded-key cache holds. */
class Ed25519Test {

    private static final HexFormat HEX = HexFormat.of();

    // RFC 8032, 7.1, TEST 1: the empty message
    private static final byte[] TEST1_PUBLIC = HEX.parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    private static final byte[] TEST1_SIGNATURE = HEX.parseHex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bac"
            + "c61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");

    // RFC 8032, 7.3, TEST abc: Ed25519ph
    private static final byte[] PH_PUBLIC = HEX.parseHex("ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf");
    private static final byte[] PH_SIGNATURE = HEX.parseHex("98a70222f0b8121aa9d30f813d683f809e462b469c7ff87639499bb94e6dae4131f85042463c2a35"
            + "5a2003d062adf5aaa10b8c61e636062aaad11c2a26083406");

    @Test
    void verifiesTheRfcVectorAgainAndRefusesItAltered() {
        for (int round = 0; round < 2; round++) { // the second time, the key comes decoded from the cache
            assertThat(Ed25519.verify(TEST1_PUBLIC, new byte[0], TEST1_SIGNATURE)).isTrue();
            assertThat(Ed25519.verify(TEST1_PUBLIC, new byte[] {0}, TEST1_SIGNATURE)).isFalse();
            byte[] altered = TEST1_SIGNATURE.clone();
            altered[10] ^= 1;
            assertThat(Ed25519.verify(TEST1_PUBLIC, new byte[0], altered)).isFalse();
        }
        assertThat(Ed25519.verify(TEST1_PUBLIC, null, TEST1_SIGNATURE)).isFalse();
        assertThat(Ed25519.verify(null, new byte[0], TEST1_SIGNATURE)).isFalse();
        assertThat(Ed25519.verify(TEST1_PUBLIC, new byte[0], new byte[63])).isFalse();
    }

    @Test
    void verifiesThePrehashedRfcVector() throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-512").digest("abc".getBytes(StandardCharsets.US_ASCII));
        assertThat(Ed25519.verifyPrehashed(PH_PUBLIC, digest, PH_SIGNATURE)).isTrue();
        assertThat(SignatureVerifier.verify(SignatureVerifier.ED25519, PH_PUBLIC, digest, PH_SIGNATURE, true)).isTrue();
        digest[0] ^= 1;
        assertThat(Ed25519.verifyPrehashed(PH_PUBLIC, digest, PH_SIGNATURE)).isFalse();
        assertThat(Ed25519.verifyPrehashed(PH_PUBLIC, new byte[32], PH_SIGNATURE)).as("not a SHA-512 digest").isFalse();
        // the prehashed signature is not a signature of the plain message
        assertThat(Ed25519.verify(PH_PUBLIC, "abc".getBytes(StandardCharsets.US_ASCII), PH_SIGNATURE)).isFalse();
    }

    @Test
    void aKeyThatIsNotAPointVerifiesNothingTwice() {
        byte[] notAPoint = null;
        for (int y = 2; notAPoint == null; y++) { // about half of all y have no x on the curve
            byte[] candidate = new byte[32];
            candidate[0] = (byte) y;
            if (!org.bouncycastle.math.ec.rfc8032.Ed25519.validatePublicKeyPartial(candidate, 0)) {
                notAPoint = candidate;
            }
        }
        for (int round = 0; round < 2; round++) {
            assertThat(Ed25519.verify(notAPoint, new byte[0], TEST1_SIGNATURE)).isFalse();
            assertThat(Ed25519.verifyPrehashed(notAPoint, new byte[64], PH_SIGNATURE)).isFalse();
        }
    }

    @Test
    void moreKeysThanTheCacheHoldsAllVerifyAndKeepTheirOwnSignatures() {
        byte[] message = "the same message".getBytes(StandardCharsets.UTF_8);
        List<byte[][]> signed = new ArrayList<>();
        for (int i = 0; i < Ed25519.DECODED_KEYS + 50; i++) {
            byte[] key = Ed25519.generatePrivateKey();
            signed.add(new byte[][] {Ed25519.publicKey(key), Ed25519.sign(key, message)});
        }
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < signed.size(); i++) {
                byte[][] entry = signed.get(i);
                assertThat(Ed25519.verify(entry[0], message, entry[1])).isTrue();
                // another key's signature never passes with this key's cached point
                assertThat(Ed25519.verify(entry[0], message, signed.get((i + 1) % signed.size())[1])).isFalse();
            }
        }
    }
}
