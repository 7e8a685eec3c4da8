package dev.cairn.wallet.keys;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.cairn.platform.crypto.AesGcm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalKeyProtectorTest {

    @Test
    void sealedKeysOpenOnlyUnderTheirAddressAndSurviveKeyRotation() {
        byte[] oldKek = AesGcm.newKey();
        byte[] newKek = AesGcm.newKey();
        KeySealer before = new KeySealer(new LocalKeyProtector(oldKek, List.of()));
        byte[] privateKey = AesGcm.newKey();
        SealedKey sealed = before.seal("cairn1address", privateKey);
        assertThat(sealed.ciphertext()).isNotEqualTo(privateKey);
        assertThat(before.open("cairn1address", sealed)).isEqualTo(privateKey);
        assertThatThrownBy(() -> before.open("cairn1another", sealed)).isInstanceOf(IllegalArgumentException.class);

        KeySealer rotated = new KeySealer(new LocalKeyProtector(newKek, List.of(oldKek)));
        assertThat(rotated.open("cairn1address", sealed)).isEqualTo(privateKey);
        SealedKey rewrapped = rotated.rewrap(sealed);
        assertThat(rewrapped.keyVersion()).isEqualTo(rotated.protector().currentVersion()).isNotEqualTo(sealed.keyVersion());
        assertThat(rewrapped.ciphertext()).isEqualTo(sealed.ciphertext());

        KeySealer newOnly = new KeySealer(new LocalKeyProtector(newKek, List.of()));
        assertThat(newOnly.open("cairn1address", rewrapped)).isEqualTo(privateKey);
        assertThatThrownBy(() -> newOnly.open("cairn1address", sealed)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not configured");
    }
}
