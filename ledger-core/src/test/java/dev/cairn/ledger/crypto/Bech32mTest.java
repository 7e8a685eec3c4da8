package dev.cairn.ledger.crypto;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** BIP-350's own valid and invalid strings, and Cairn addresses built on them. */
class Bech32mTest {

    private static final List<String> VALID = List.of(
            "A1LQFN3A",
            "a1lqfn3a",
            "an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11sg7hg6",
            "abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx",
            "11llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllludsr8",
            "split1checkupstagehandshakeupstreamerranterredcaperredlc445v",
            "?1v759aa");

    private static final List<String> INVALID = List.of(
            "\u00201xj0phk", "\u007f1g6xzxy", "\u00801vctc34",
            "an84characterslonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11d6pts4",
            "qyrz8wqd2c9m", "1qyrz8wqd2c9m", "y1b0jsk6g", "lt1igcx5c0", "in1muywd", "mm1crxm3i", "au1s5cgom", "M1VUXWEZ",
            "16plkw9", "1p2gdwpf",
            "A12UEL5L" /* a valid Bech32 (not Bech32m) string */);

    @Test
    void acceptsEveryValidVectorAndReencodesIt() {
        for (String valid : VALID) {
            Bech32m.Groups groups = Bech32m.decodeGroups(valid);
            assertThat(Bech32m.encodeGroups(groups.prefix(), groups.values())).isEqualTo(valid.toLowerCase());
        }
    }

    @Test
    void rejectsEveryInvalidVector() {
        for (String invalid : INVALID) {
            assertThatThrownBy(() -> Bech32m.decodeGroups(invalid)).as(invalid).isInstanceOf(Bech32m.InvalidBech32Exception.class);
        }
    }

    @Test
    void addressesCarryTheAlgorithmAndDetectEveryMistypedCharacter() {
        byte[] publicKey = new byte[32];
        publicKey[0] = 7;
        String address = LedgerAddress.of("ED25519", publicKey);
        assertThat(address).startsWith("cairn1");
        assertThat(LedgerAddress.algorithm(address)).isEqualTo("ED25519");
        assertThat(LedgerAddress.algorithm(address.toUpperCase())).isEqualTo("ED25519");
        assertThat(LedgerAddress.matches(address, "ED25519", publicKey)).isTrue();
        assertThat(LedgerAddress.matches(address, "P256", publicKey)).isFalse();
        assertThat(LedgerAddress.matches(address, "ED25519", new byte[32])).isFalse();
        String alphabet = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
        for (int i = "cairn1".length(); i < address.length(); i++) {
            char replacement = alphabet.charAt((alphabet.indexOf(address.charAt(i)) + 1) % alphabet.length());
            String typo = address.substring(0, i) + replacement + address.substring(i + 1);
            assertThatThrownBy(() -> LedgerAddress.algorithm(typo)).as(typo).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> LedgerAddress.algorithm(Bech32m.encode("other", new byte[33]))).isInstanceOf(IllegalArgumentException.class);
    }
}
