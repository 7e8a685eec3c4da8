package dev.cairn.keys;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.cairn.platform.crypto.AesGcm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalKeyProtectorTest {

    private static final byte[] CONTEXT = "cairn/test/data-key".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    @Test
    void sealedKeysOpenOnlyUnderTheirAddressAndSurviveKeyRotation() {
        byte[] oldKek = AesGcm.newKey();
        byte[] newKek = AesGcm.newKey();
        KeySealer before = new KeySealer(new LocalKeyProtector(oldKek, List.of(), CONTEXT));
        byte[] privateKey = AesGcm.newKey();
        SealedKey sealed = before.seal("cairn1address", privateKey);
        assertThat(sealed.ciphertext()).isNotEqualTo(privateKey);
        assertThat(before.open("cairn1address", sealed)).isEqualTo(privateKey);
        assertThatThrownBy(() -> before.open("cairn1another", sealed)).isInstanceOf(IllegalArgumentException.class);

        KeySealer rotated = new KeySealer(new LocalKeyProtector(newKek, List.of(oldKek), CONTEXT));
        assertThat(rotated.open("cairn1address", sealed)).isEqualTo(privateKey);
        SealedKey rewrapped = rotated.rewrap(sealed);
        assertThat(rewrapped.keyVersion()).isEqualTo(rotated.protector().currentVersion()).isNotEqualTo(sealed.keyVersion());
        assertThat(rewrapped.ciphertext()).isEqualTo(sealed.ciphertext());

        KeySealer newOnly = new KeySealer(new LocalKeyProtector(newKek, List.of(), CONTEXT));
        assertThat(newOnly.open("cairn1address", rewrapped)).isEqualTo(privateKey);
        assertThatThrownBy(() -> newOnly.open("cairn1address", sealed)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not configured");
    }

    @Test
    void aWrapMadeForOnePurposeDoesNotOpenAsAnothers() {
        byte[] kek = AesGcm.newKey();
        LocalKeyProtector wallets = new LocalKeyProtector(kek, List.of(), CONTEXT);
        LocalKeyProtector nodes = new LocalKeyProtector(kek, List.of(), "cairn/other/data-key".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        KeyProtector.Wrapped wrapped = wallets.wrap(AesGcm.newKey());
        assertThat(nodes.currentVersion()).isEqualTo(wallets.currentVersion());
        assertThatThrownBy(() -> nodes.unwrap(wrapped)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void settingsThatCannotWorkStopTheServiceWithWhatToSet() {
        KeyProtectors.Purpose node = new KeyProtectors.Purpose("node", "cairn.peer.keys", "cairn-peer", "cairn/peer/data-key");
        assertThatThrownBy(() -> KeyProtectors.create(new KeyProtection(null, null, null), node))
                .hasMessage("No node key-encryption key: set CAIRN_PEER_KEYS_LOCAL_KEY (base64 of 32 random bytes) or "
                        + "CAIRN_PEER_KEYS_LOCAL_KEYFILE, or use Vault (CAIRN_PEER_KEYS_PROTECTOR=vault)");
        assertThatThrownBy(() -> KeyProtectors.create(new KeyProtection("local", new KeyProtection.Local("c2hvcnQ=", null, null), null), node))
                .hasMessage("A node key-encryption key must be 32 bytes, got 5");
        assertThatThrownBy(() -> KeyProtectors.create(new KeyProtection("vault", null, null), node))
                .hasMessage("cairn.peer.keys.vault.uri (CAIRN_PEER_KEYS_VAULT_URI) is required with the vault protector");
        assertThatThrownBy(() -> KeyProtectors.create(new KeyProtection("kms", null, null), node))
                .hasMessage("cairn.peer.keys.protector must be 'local' or 'vault', not 'kms'");
        String key = java.util.Base64.getEncoder().encodeToString(AesGcm.newKey());
        assertThat(KeyProtectors.create(new KeyProtection("local", new KeyProtection.Local(key, null, null), null), node).kind()).isEqualTo("local");
    }
}
