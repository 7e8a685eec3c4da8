package dev.cairn.wallet.crypto;

import java.nio.charset.StandardCharsets;

import org.bouncycastle.math.ec.rfc7748.X25519;
import org.junit.jupiter.api.Test;

import dev.cairn.platform.crypto.WalletEncryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WalletEncryptionTest {

    private static final byte[] SECRET = "the contract terms, disclosed to the buyer only".getBytes(StandardCharsets.UTF_8);

    @Test
    void everyAlgorithmRoundTripsAndOnlyTheRightWalletDecrypts() {
        for (KeyAlgorithm algorithm : KeyAlgorithm.values()) {
            WalletKeys recipient = keys(algorithm);
            WalletKeys stranger = keys(algorithm);
            byte[] ciphertext = WalletEncryption.encrypt(algorithm.name(), recipient.publicKey(), SECRET);
            assertThat(ciphertext).isNotEqualTo(WalletEncryption.encrypt(algorithm.name(), recipient.publicKey(), SECRET));
            assertThat(WalletEncryption.decrypt(algorithm.name(), recipient.privateKey(), recipient.publicKey(), ciphertext)).isEqualTo(SECRET);
            assertThatThrownBy(() -> WalletEncryption.decrypt(algorithm.name(), stranger.privateKey(), stranger.publicKey(), ciphertext))
                    .as(algorithm + " stranger").isInstanceOf(WalletEncryption.DecryptionException.class);
            byte[] altered = ciphertext.clone();
            altered[altered.length - 1] ^= 1;
            assertThatThrownBy(() -> WalletEncryption.decrypt(algorithm.name(), recipient.privateKey(), recipient.publicKey(), altered))
                    .as(algorithm + " altered").isInstanceOf(WalletEncryption.DecryptionException.class);
            byte[] headerAltered = ciphertext.clone();
            headerAltered[5] ^= 1;
            assertThatThrownBy(() -> WalletEncryption.decrypt(algorithm.name(), recipient.privateKey(), recipient.publicKey(), headerAltered))
                    .as(algorithm + " header altered").isInstanceOf(WalletEncryption.DecryptionException.class);
        }
    }

    @Test
    void anRsaWrappedKeyBeyondTheWalletsModulusIsRefusedLikeAnyOtherWrongCiphertext() {
        WalletKeys recipient = keys(KeyAlgorithm.RSA4096);
        byte[] ciphertext = WalletEncryption.encrypt(KeyAlgorithm.RSA4096.name(), recipient.publicKey(), SECRET);
        byte[] oversized = ciphertext.clone();
        java.util.Arrays.fill(oversized, 1, 513, (byte) 0xFF); // the wrapped key, as a number, above any 4096-bit modulus
        assertThatThrownBy(() -> WalletEncryption.decrypt(KeyAlgorithm.RSA4096.name(), recipient.privateKey(), recipient.publicKey(), oversized))
                .isInstanceOf(WalletEncryption.DecryptionException.class);
    }

    @Test
    void theX25519KeysMatchTheEd25519Ones() {
        WalletKeys keys = keys(KeyAlgorithm.ED25519);
        byte[] fromPrivate = new byte[32];
        X25519.scalarMultBase(WalletEncryption.x25519PrivateKey(keys.privateKey()), 0, fromPrivate, 0);
        assertThat(WalletEncryption.edwardsToMontgomery(keys.publicKey())).isEqualTo(fromPrivate);
    }

    private static WalletKeys keys(KeyAlgorithm algorithm) {
        return algorithm.recoverable() ? WalletKeys.derive(algorithm, Bip39.seed(Bip39.generate(12), "")) : WalletKeys.generateRsa();
    }
}
