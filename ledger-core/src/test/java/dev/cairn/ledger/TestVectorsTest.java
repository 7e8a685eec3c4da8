package dev.cairn.ledger;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import dev.cairn.ledger.crypto.LedgerAddress;
import dev.cairn.ledger.crypto.SignatureVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The published test vectors (docs/test-vectors/ledger.json): records, hashes, trees, proofs, a
 * tree head and addresses, from fixed keys, for verifiers written in other languages. This test
 * recomputes them with Cairn's own code and fails when the published file differs; run it with
 * {@code -Dcairn.write-vectors=true} to write the file after a deliberate change of format.
 */
class TestVectorsTest {

    private static final Path FILE = Path.of("..", "docs", "test-vectors", "ledger.json");

    @Test
    void thePublishedVectorsAreWhatCairnComputes() throws Exception {
        String computed = vectors().toPrettyString() + "\n";
        if (Boolean.getBoolean("cairn.write-vectors")) {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, computed);
            org.junit.jupiter.api.Assumptions.abort("wrote " + FILE + "; nothing was compared");
        }
        assertThat(Files.readString(FILE, StandardCharsets.UTF_8)).as("docs/test-vectors/ledger.json is out of date").isEqualTo(computed);
    }

    static ObjectNode vectors() {
        TestChain.Signer sealer = TestChain.Signer.seed(1);
        TestChain chain = TestChain.genesis(sealer).actions(sealer, 10, 20, 30).actions(sealer, 40).actions(sealer, 50).actions(sealer, 60);
        ObjectNode out = TestChain.JSON.createObjectNode();
        out.put("about", "Cairn ledger test vectors. Hashes are lower-case hex; keys and signatures base64. Ed25519 keys are 32 bytes of one "
                + "repeated seed byte; the P-256 signature uses RFC 6979 nonces, so every value here is reproducible.");

        ObjectNode address = out.putObject("address");
        byte[] publicKey = Base64.getDecoder().decode(sealer.publicKey());
        byte[] payload = new byte[33];
        System.arraycopy(SignatureVerifier.sha256(publicKey), 0, payload, 1, 32);
        address.put("algorithm", "ED25519").put("publicKey", sealer.publicKey()).put("payload33", LedgerHashes.hex(payload))
                .put("address", LedgerAddress.of("ED25519", publicKey)).put("sealingKeyId", SealingKeys.idOf(publicKey));

        ObjectNode tx = chain.blocks.get(1).transactions().get(0);
        ObjectNode transaction = out.putObject("transaction");
        transaction.set("record", tx);
        ObjectNode unsigned = tx.deepCopy();
        unsigned.remove(List.of("txId", "signature"));
        transaction.put("canonicalJsonWithoutTxIdAndSignature", CanonicalJson.string(unsigned)).put("txId", tx.path("txId").asString());

        ObjectNode p256 = out.putObject("p256Transaction");
        ObjectNode signedByP256 = p256Signed(unsigned.deepCopy());
        p256.set("record", signedByP256);
        p256.put("note", "ECDSA P-256 signs SHA-256 of the 32 txId bytes (the txId is hashed again); strict DER signature with low S "
                + "(S <= n/2), compressed SEC1 key");

        ObjectNode docket = out.putObject("docket");
        ObjectNode one = chain.blocks.get(1).docket();
        docket.set("record", one);
        ObjectNode withoutHash = one.deepCopy();
        withoutHash.remove(List.of("hash", "signature"));
        docket.put("canonicalJsonWithoutHashAndSignature", CanonicalJson.string(withoutHash)).put("hash", one.path("hash").asString())
                .put("merkleRoot", one.path("merkleRoot").asString());
        ObjectNode genesis = out.putObject("genesis");
        genesis.set("docket", chain.blocks.get(0).docket());
        genesis.set("transaction", chain.blocks.get(0).transactions().get(0));

        List<String> ids = ChainRules.transactionIds(one);
        List<byte[]> leaves = ids.stream().map(LedgerHashes::bytes).toList();
        ObjectNode inclusion = out.putObject("inclusionProof");
        inclusion.put("txId", ids.get(2)).put("leafIndex", 2).put("treeSize", ids.size())
                .put("leafHash", LedgerHashes.hex(MerkleTree.leafHash(leaves.get(2))));
        ArrayNode path = inclusion.putArray("path");
        MerkleTree.inclusionProof(2, leaves).forEach(h -> path.add(LedgerHashes.hex(h)));
        inclusion.put("merkleRoot", LedgerHashes.hex(MerkleTree.root(leaves)));

        List<byte[]> dockets = new ArrayList<>();
        chain.blocks.forEach(b -> dockets.add(LedgerHashes.bytes(b.docket().path("hash").asString())));
        ObjectNode tree = out.putObject("docketTree");
        ArrayNode hashes = tree.putArray("docketHashes");
        dockets.forEach(h -> hashes.add(LedgerHashes.hex(h)));
        ObjectNode roots = tree.putObject("rootBySize");
        for (int size = 1; size <= dockets.size(); size++) {
            roots.put(String.valueOf(size), LedgerHashes.hex(MerkleTree.root(dockets.subList(0, size))));
        }
        ObjectNode consistency = out.putObject("consistencyProof");
        consistency.put("first", 2).put("second", dockets.size()).put("firstRoot", LedgerHashes.hex(MerkleTree.root(dockets.subList(0, 2))))
                .put("secondRoot", LedgerHashes.hex(MerkleTree.root(dockets)));
        ArrayNode proof = consistency.putArray("proof");
        MerkleTree.consistencyProof(2, dockets).forEach(h -> proof.add(LedgerHashes.hex(h)));

        ObjectNode head = chain.head(sealer, dockets.size());
        ObjectNode treeHead = out.putObject("treeHead");
        treeHead.set("record", head);
        treeHead.put("signedHash", TreeHead.hash(head));
        return out;
    }

    private static ObjectNode p256Signed(ObjectNode tx) {
        X9ECParameters curve = CustomNamedCurves.getByName("secp256r1");
        ECDomainParameters domain = new ECDomainParameters(curve.getCurve(), curve.getG(), curve.getN(), curve.getH());
        BigInteger d = new BigInteger(1, SignatureVerifier.sha256("cairn test vector p256".getBytes(StandardCharsets.UTF_8))).mod(curve.getN());
        byte[] publicKey = curve.getG().multiply(d).normalize().getEncoded(true);
        tx.put("sender", LedgerAddress.of("P256", publicKey));
        String txId = LedgerHashes.transactionId(tx);
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, new ECPrivateKeyParameters(d, domain));
        BigInteger[] rs = signer.generateSignature(SignatureVerifier.sha256(LedgerHashes.bytes(txId)));
        if (rs[1].compareTo(curve.getN().shiftRight(1)) > 0) {
            rs[1] = curve.getN().subtract(rs[1]); // the low S that ledger records require
        }
        byte[] der;
        try {
            der = StandardDSAEncoding.INSTANCE.encode(curve.getN(), rs[0], rs[1]);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        tx.put("txId", txId);
        tx.putObject("signature").put("algorithm", "P256").put("publicKey", Base64.getEncoder().encodeToString(publicKey))
                .put("value", Base64.getEncoder().encodeToString(der));
        assertThat(ChainRules.transactionSelfProblem(tx)).isNull();
        return tx;
    }
}
