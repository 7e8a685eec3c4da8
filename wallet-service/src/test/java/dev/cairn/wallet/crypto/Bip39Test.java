package dev.cairn.wallet.crypto;

import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The published BIP39 test vectors (English, passphrase "TREZOR"). */
class Bip39Test {

    @Test
    void theWordListIsTheOfficialOne() throws Exception {
        try (InputStream in = Bip39.class.getResourceAsStream("/bip39/english.txt")) {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(in.readAllBytes());
            assertThat(HexFormat.of().formatHex(digest)).isEqualTo("2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "00000000000000000000000000000000|abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about|c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04",
            "7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f|legal winner thank year wave sausage worth useful legal winner thank yellow|2e8905819b8723fe2c1d161860e5ee1830318dbf49a83bd451cfb8440c28bd6fa457fe1296106559a3c80937a1c1069be3a3a5bd381ee6260e8d9739fce1f607",
            "80808080808080808080808080808080|letter advice cage absurd amount doctor acoustic avoid letter advice cage above|d71de856f81a8acc65e6fc851a38d4d7ec216fd0796d0a6827a3ad6ed5511a30fa280f12eb2e47ed2ac03b5c462a0358d18d69fe4f985ec81778c1b370b652a8",
            "ffffffffffffffffffffffffffffffff|zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong|ac27495480225222079d7be181583751e86f571027b0497b5b5d11218e0a8a13332572917f0f8e5a589620c6f15b11c61dee327651a14c34e18231052e48c069",
            "000000000000000000000000000000000000000000000000|abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon agent|035895f2f481b1b0f01fcf8c289c794660b289981a78f8106447707fdd9666ca06da5a9a565181599b79f53b844d8a71dd9f439c52a3d7b3e8a79c906ac845fa",
            "0000000000000000000000000000000000000000000000000000000000000000|abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art|bda85446c68413707090a52022edd26a1c9462295029f2e60cd7c4f2bbd3097170af7a4d73245cafa9c3cca8d561a7c3de6f5d4a10be8ed2a5e608d68f92fcc8"
    })
    void reproducesThePublishedVectors(String entropy, String mnemonic, String seed) {
        assertThat(Bip39.fromEntropy(HexFormat.of().parseHex(entropy))).isEqualTo(mnemonic);
        assertThat(HexFormat.of().formatHex(Bip39.validate(mnemonic))).isEqualTo(entropy);
        assertThat(HexFormat.of().formatHex(Bip39.seed(mnemonic, "TREZOR"))).isEqualTo(seed);
    }

    @Test
    void generatedMnemonicsHaveTheAskedLengthAndAValidChecksum() {
        for (int words : new int[] {12, 15, 18, 21, 24}) {
            String mnemonic = Bip39.generate(words);
            assertThat(mnemonic.split(" ")).hasSize(words);
            assertThat(Bip39.validate(mnemonic)).hasSize(words * 11 * 32 / 33 / 8);
        }
        assertThat(Bip39.generate(24)).isNotEqualTo(Bip39.generate(24));
    }

    @Test
    void rejectsBadChecksumsUnknownWordsAndWrongLengths() {
        assertThatThrownBy(() -> Bip39.validate("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon"))
                .isInstanceOf(Bip39.InvalidMnemonicException.class).hasMessageContaining("checksum");
        assertThatThrownBy(() -> Bip39.validate("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon aboutt"))
                .isInstanceOf(Bip39.InvalidMnemonicException.class).hasMessageContaining("Word 12");
        assertThatThrownBy(() -> Bip39.validate("abandon about"))
                .isInstanceOf(Bip39.InvalidMnemonicException.class).hasMessageContaining("has 2");
        assertThatThrownBy(() -> Bip39.generate(13)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void caseAndSpacingDoNotMatter() {
        String messy = "  Abandon  abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon ABOUT ";
        assertThat(HexFormat.of().formatHex(Bip39.seed(messy, "TREZOR"))).startsWith("c55257c360c07c72");
    }
}
