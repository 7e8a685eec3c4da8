package dev.cairn.wallet.crypto;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.X509EncodedKeySpec;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Round trips for every algorithm, tampering detected, and interoperability: the JDK's own
 * providers verify what Cairn signs.
 */
class SignaturesTest {

    private static final byte[] MESSAGE = "pay 10 to bob".getBytes(StandardCharsets.UTF_8);
    private static final WalletKeys ED = WalletKeys.derive(KeyAlgorithm.ED25519, Bip39.seed(Bip39.generate(12), ""));
    private static final WalletKeys EC = WalletKeys.derive(KeyAlgorithm.P256, Bip39.seed(Bip39.generate(12), ""));
    private static final WalletKeys RSA = WalletKeys.generateRsa();

    @Test
    void everyAlgorithmSignsAndVerifiesAndNoticesTampering() throws Exception {
        for (WalletKeys keys : new WalletKeys[] {ED, EC, RSA}) {
            for (boolean preHashed : new boolean[] {false, true}) {
                byte[] data = preHashed ? digest(keys.algorithm(), MESSAGE) : MESSAGE;
                byte[] signature = Signatures.sign(keys.algorithm(), keys.privateKey(), data, preHashed);
                assertThat(Signatures.verify(keys.algorithm(), keys.publicKey(), data, signature, preHashed)).as(keys + " " + preHashed).isTrue();
                byte[] altered = signature.clone();
                altered[altered.length / 2] ^= 1;
                assertThat(Signatures.verify(keys.algorithm(), keys.publicKey(), data, altered, preHashed)).isFalse();
                byte[] otherData = data.clone();
                otherData[0] ^= 1;
                assertThat(Signatures.verify(keys.algorithm(), keys.publicKey(), otherData, signature, preHashed)).isFalse();
            }
        }
        assertThat(Signatures.verify(KeyAlgorithm.P256, EC.publicKey(), MESSAGE, new byte[] {1, 2, 3}, false)).isFalse();
        assertThat(Signatures.verify(KeyAlgorithm.ED25519, new byte[5], MESSAGE, new byte[64], false)).isFalse();
    }

    @Test
    void preHashedDataMustBeADigestOfTheRightSize() {
        assertThatThrownBy(() -> Signatures.sign(KeyAlgorithm.P256, EC.privateKey(), new byte[31], true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Signatures.sign(KeyAlgorithm.ED25519, ED.privateKey(), new byte[32], true)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theJdkVerifiesCairnSignatures() throws Exception {
        Signature ed = Signature.getInstance("Ed25519");
        ed.initVerify(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(
                new SubjectPublicKeyInfo(new AlgorithmIdentifier(new ASN1ObjectIdentifier("1.3.101.112")), ED.publicKey()).getEncoded())));
        ed.update(MESSAGE);
        assertThat(ed.verify(Signatures.sign(KeyAlgorithm.ED25519, ED.privateKey(), MESSAGE, false))).isTrue();

        Signature ecdsa = Signature.getInstance("SHA256withECDSA");
        ecdsa.initVerify(p256(EC.publicKey()));
        ecdsa.update(MESSAGE);
        assertThat(ecdsa.verify(Signatures.sign(KeyAlgorithm.P256, EC.privateKey(), MESSAGE, false))).isTrue();

        Signature pss = Signature.getInstance("RSASSA-PSS");
        pss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        pss.initVerify(KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(RSA.publicKey())));
        pss.update(MESSAGE);
        assertThat(pss.verify(Signatures.sign(KeyAlgorithm.RSA4096, RSA.privateKey(), MESSAGE, false))).isTrue();
    }

    @Test
    void publicKeysHaveTheDocumentedShapes() {
        assertThat(ED.publicKey()).hasSize(32);
        assertThat(EC.publicKey()).hasSize(33);
        assertThat(EC.publicKey()[0]).isIn((byte) 2, (byte) 3);
        assertThat(RSA.publicKey()[0]).isEqualTo((byte) 0x30);
        assertThat(RSA.derivationPath()).isNull();
        assertThat(ED.derivationPath()).isEqualTo("m/44'/2490'/0'/0'/0'");
    }

    /** The JDK reads uncompressed points only. */
    private static PublicKey p256(byte[] compressed) throws Exception {
        byte[] uncompressed = org.bouncycastle.crypto.ec.CustomNamedCurves.getByName("secp256r1").getCurve().decodePoint(compressed)
                .getEncoded(false);
        byte[] spki = new SubjectPublicKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, SECObjectIdentifiers.secp256r1),
                uncompressed).getEncoded();
        return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(spki));
    }

    private static byte[] digest(KeyAlgorithm algorithm, byte[] data) throws Exception {
        return MessageDigest.getInstance(algorithm == KeyAlgorithm.ED25519 ? "SHA-512" : "SHA-256").digest(data);
    }
}
