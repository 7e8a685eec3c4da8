package dev.cairn.wallet.api;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class WalletApiIT extends WalletApiSupport {

    private static final byte[] DATA = "transfer 10 units to the buyer".getBytes(StandardCharsets.UTF_8);

    @Test
    void everyAlgorithmCreatesSignsAndVerifies() {
        String alice = user(ORG_A);
        Map<String, Integer> publicKeySizes = Map.of("ED25519", 32, "P256", 33);
        for (String algorithm : List.of("ED25519", "P256", "RSA4096")) {
            JsonNode wallet = create(alice, algorithm);
            String address = wallet.get("address").asString();
            assertThat(address).startsWith("cairn1");
            byte[] publicKey = Base64.getDecoder().decode(wallet.get("publicKey").asString());
            if (publicKeySizes.containsKey(algorithm)) {
                assertThat(publicKey).hasSize(publicKeySizes.get(algorithm));
                assertThat(wallet.get("mnemonic").asString().split(" ")).hasSize(24);
                assertThat(wallet.get("derivationPath").asString()).isEqualTo("m/44'/2490'/0'/0'/0'");
            } else {
                assertThat(wallet.get("mnemonic").isNull()).isTrue();
                assertThat(wallet.get("recoverable").asBoolean()).isFalse();
            }
            HttpResponse<String> signed = sign(alice, address, DATA);
            assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
            String signature = json(signed).get("signature").asString();
            assertThat(json(signed).get("publicKey").asString()).isEqualTo(wallet.get("publicKey").asString());

            assertThat(verify(alice, Map.of("address", address, "data", b64(DATA), "signature", signature))).isTrue();
            assertThat(verify(alice, Map.of("publicKey", wallet.get("publicKey").asString(), "algorithm", algorithm, "data", b64(DATA),
                    "signature", signature))).isTrue();
            byte[] altered = Base64.getDecoder().decode(signature);
            altered[altered.length / 2] ^= 1;
            assertThat(verify(alice, Map.of("address", address, "data", b64(DATA), "signature", b64(altered)))).isFalse();
            assertThat(verify(alice, Map.of("address", address, "data", b64("transfer 99".getBytes()), "signature", signature))).isFalse();
        }
    }

    @Test
    void theMnemonicRecreatesTheSameWalletAndBelongsToItsOwner() {
        String alice = user(ORG_A);
        HttpResponse<String> created = post("/api/wallets", alice, Map.of("name", "savings", "algorithm", "P256", "wordCount", 12,
                "passphrase", "extra words"));
        assertThat(created.statusCode()).isEqualTo(201);
        String mnemonic = json(created).get("mnemonic").asString();
        String address = json(created).get("address").asString();
        assertThat(mnemonic.split(" ")).hasSize(12);

        HttpResponse<String> recovered = post("/api/wallets/recover", alice, Map.of("mnemonic", mnemonic, "passphrase", "extra words",
                "algorithm", "P256", "name", "savings again"));
        assertThat(recovered.statusCode()).as(recovered.body()).isEqualTo(201);
        assertThat(json(recovered).get("address").asString()).isEqualTo(address);
        assertThat(recovered.body()).doesNotContain("mnemonic");

        HttpResponse<String> otherPassphrase = post("/api/wallets/recover", alice, Map.of("mnemonic", mnemonic, "algorithm", "P256",
                "name", "not the same"));
        assertThat(json(otherPassphrase).get("address").asString()).isNotEqualTo(address);

        HttpResponse<String> stolen = post("/api/wallets/recover", user(ORG_A), Map.of("mnemonic", mnemonic, "passphrase", "extra words",
                "algorithm", "P256", "name", "mine now"));
        assertProblem(stolen, 409);

        assertProblem(post("/api/wallets/recover", alice, Map.of("mnemonic", mnemonic, "algorithm", "RSA4096", "name", "x")), 400);
    }

    @Test
    void onlyTheOwnerOrAServiceWithTheScopeForTheOrganisationMayUseAWallet() {
        String alice = JWKS.userToken("alice-" + java.util.UUID.randomUUID(), ORG_A);
        String address = create(alice, "ED25519").get("address").asString();
        List<String> strangers = List.of(user(ORG_A), user(ORG_B), JWKS.serviceToken("sp_other", ORG_B, "wallet:sign"),
                JWKS.serviceToken("reader", null, "register:read"));
        for (String stranger : strangers) {
            assertProblem(sign(stranger, address, DATA), 404);
            assertProblem(get("/api/wallets/" + address, stranger), 404);
            assertProblem(post("/api/wallets/" + address + "/decrypt", stranger, Map.of("ciphertext", b64(new byte[64]))), 404);
            // deleting needs a user's token (403 for services, before any lookup); other users get 404
            assertThat(delete("/api/wallets/" + address, stranger).statusCode()).isIn(403, 404);
        }
        assertThat(sign(JWKS.serviceToken("validator-service", null, "wallet:sign"), address, DATA).statusCode()).isEqualTo(200);
        assertThat(sign(JWKS.serviceToken("sp_erp", ORG_A, "wallet:sign"), address, DATA).statusCode()).isEqualTo(200);
        assertThat(get("/api/wallets/" + address, alice).statusCode()).isEqualTo(200);
    }

    @Test
    void anyoneMayEncryptToAWalletOnlyItsOwnerDecrypts() {
        String alice = user(ORG_A);
        for (String algorithm : List.of("ED25519", "P256", "RSA4096")) {
            String address = create(alice, algorithm).get("address").asString();
            HttpResponse<String> encrypted = post("/api/wallets/" + address + "/encrypt", user(ORG_B), Map.of("data", b64(DATA)));
            assertThat(encrypted.statusCode()).as(encrypted.body()).isEqualTo(200);
            String ciphertext = json(encrypted).get("ciphertext").asString();
            HttpResponse<String> decrypted = post("/api/wallets/" + address + "/decrypt", alice, Map.of("ciphertext", ciphertext));
            assertThat(decrypted.statusCode()).as(decrypted.body()).isEqualTo(200);
            assertThat(Base64.getDecoder().decode(json(decrypted).get("data").asString())).isEqualTo(DATA);
            byte[] tampered = Base64.getDecoder().decode(ciphertext);
            tampered[tampered.length - 3] ^= 1;
            assertProblem(post("/api/wallets/" + address + "/decrypt", alice, Map.of("ciphertext", b64(tampered))), 400);

            // anyone may read the public key, and what is encrypted to it elsewhere (as a workflow's recipients get) opens here
            HttpResponse<String> key = get("/api/wallets/" + address + "/public-key", user(ORG_B));
            assertThat(key.statusCode()).as(key.body()).isEqualTo(200);
            assertThat(json(key).get("algorithm").asString()).isEqualTo(algorithm);
            byte[] elsewhere = dev.cairn.platform.crypto.WalletEncryption.encrypt(algorithm,
                    Base64.getDecoder().decode(json(key).get("publicKey").asString()), DATA);
            HttpResponse<String> opened = post("/api/wallets/" + address + "/decrypt", alice, Map.of("ciphertext", b64(elsewhere)));
            assertThat(Base64.getDecoder().decode(json(opened).get("data").asString())).isEqualTo(DATA);
        }
        assertThat(get("/api/wallets/" + create(alice, "ED25519").get("address").asString().replace("q", "p") + "/public-key", alice)
                .statusCode()).as("a mistyped address").isEqualTo(400);
    }

    @Test
    void deletingIsSoftAndTheOwnerCanRecover() {
        String alice = user(ORG_A);
        JsonNode wallet = create(alice, "ED25519");
        String address = wallet.get("address").asString();
        assertThat(patch("/api/wallets/" + address, alice, Map.of("name", "renamed", "tags", List.of("ops", "2026"))).body())
                .contains("\"name\":\"renamed\"").contains("\"tags\":[\"ops\",\"2026\"]");
        assertThat(delete("/api/wallets/" + address, alice).statusCode()).isEqualTo(204);
        assertProblem(sign(alice, address, DATA), 404);
        HttpResponse<String> listed = get("/api/wallets", alice);
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        assertThat(listed.body()).contains("\"items\"").doesNotContain(address);
        HttpResponse<String> recovered = post("/api/wallets/recover", alice, Map.of("mnemonic", wallet.get("mnemonic").asString(),
                "algorithm", "ED25519", "name", "back"));
        assertThat(recovered.statusCode()).isEqualTo(201);
        assertThat(sign(alice, address, DATA).statusCode()).isEqualTo(200);
    }

    @Test
    void badInputIs400AndStoresNothing(CapturedOutput output) {
        String alice = user(ORG_A);
        create(alice, "ED25519");
        long before = json(get("/api/wallets?size=1", alice)).get("total").asLong();
        String address = json(get("/api/wallets?size=1", alice)).get("items").get(0).get("address").asString();

        assertProblem(post("/api/wallets", alice, Map.of("name", "x", "algorithm", "ED448")), 400);
        assertProblem(post("/api/wallets", alice, Map.of("name", "x", "algorithm", "ED25519", "wordCount", 13)), 400);
        assertProblem(post("/api/wallets", alice, Map.of("name", "x", "algorithm", "RSA4096", "wordCount", 12)), 400);
        assertProblem(post("/api/wallets", alice, Map.of("algorithm", "ED25519")), 400);
        HttpResponse<String> badChecksum = post("/api/wallets/recover", alice, Map.of("mnemonic",
                "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon", "algorithm", "ED25519", "name", "x"));
        assertProblem(badChecksum, 400);
        assertThat(badChecksum.body()).contains("checksum");
        HttpResponse<String> unknownWord = post("/api/wallets/recover", alice, Map.of("mnemonic",
                "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon bitcoinz", "algorithm", "ED25519", "name", "x"));
        assertProblem(unknownWord, 400);
        assertThat(unknownWord.body()).contains("Word 12").doesNotContain("bitcoinz");
        assertProblem(post("/api/wallets/" + address + "/sign", alice, Map.of("data", "not base64!!")), 400);
        assertProblem(post("/api/wallets/" + address + "/sign", alice, Map.of("data", b64(new byte[1024 * 1024 + 1]))), 400);
        assertProblem(post("/api/wallets/" + address + "/sign", alice, Map.of("data", b64(new byte[31]), "preHashed", true)), 400);
        String typo = address.substring(0, address.length() - 1) + (address.endsWith("q") ? "p" : "q");
        assertProblem(sign(alice, typo, DATA), 400);
        assertProblem(get("/api/wallets/not-an-address", alice), 400);

        assertThat(json(get("/api/wallets?size=1", alice)).get("total").asLong()).isEqualTo(before);
        assertThat(output.getAll()).doesNotContain("abandon abandon");
    }

    @Test
    void mnemonicsAndPassphrasesNeverReachTheLogs(CapturedOutput output) {
        String alice = user(ORG_A);
        HttpResponse<String> created = post("/api/wallets", alice, Map.of("name", "logged?", "algorithm", "ED25519",
                "passphrase", "correct-horse-passphrase"));
        String mnemonic = json(created).get("mnemonic").asString();
        post("/api/wallets/recover", alice, Map.of("mnemonic", mnemonic, "passphrase", "correct-horse-passphrase", "algorithm", "ED25519",
                "name", "again"));
        assertThat(output.getAll()).doesNotContain(mnemonic).doesNotContain(mnemonic.split(" ")[0] + " " + mnemonic.split(" ")[1] + " "
                + mnemonic.split(" ")[2]).doesNotContain("correct-horse-passphrase");
    }

    private boolean verify(String token, Map<String, Object> body) {
        HttpResponse<String> response = post("/api/wallets/verify", token, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response).get("valid").asBoolean();
    }
}
