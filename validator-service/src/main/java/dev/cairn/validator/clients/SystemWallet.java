package dev.cairn.validator.clients;

import java.util.Base64;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;

import dev.cairn.platform.auth.ServiceTokenClient;
import dev.cairn.platform.ledger.LedgerHashes;
import dev.cairn.platform.http.ServiceHttp;
import dev.cairn.validator.config.ValidatorProperties;

/**
 * The validators' own wallet in the wallet service: it signs dockets and genesis transactions,
 * and opens the validator copy of every workflow step.
 * The wallet service creates it on the first request of any replica and hands every replica the
 * same one; its private key never leaves the wallet service.
 */
@Component
public class SystemWallet {

    private final ServiceHttp http;
    private final JsonMapper json;
    private final ValidatorProperties.SystemWallet settings;
    private volatile String address;
    private volatile String publicKey;
    private volatile String algorithm;

    public SystemWallet(ValidatorProperties properties, ServiceTokenClient tokens, JsonMapper json) {
        this.http = new ServiceHttp("wallet-service", properties.walletUris(), tokens, json);
        this.json = json;
        this.settings = properties.systemWallet();
    }

    /** The wallet's address, creating the wallet on first use. */
    public String address() {
        if (address == null) {
            synchronized (this) {
                if (address == null) {
                    ServiceHttp.Answer answer = http.put("/api/v1/wallets/system/" + settings.name(), Map.of("algorithm", settings.algorithm()));
                    if (!answer.ok()) {
                        throw new ServiceHttp.UnreachableException("wallet-service answered " + answer.status() + " for the system wallet: "
                                + answer.body().path("detail").asString(""), null);
                    }
                    publicKey = answer.body().path("publicKey").asString();
                    algorithm = answer.body().path("algorithm").asString();
                    address = answer.body().path("address").asString();
                }
            }
        }
        return address;
    }

    /**
     * Opens a ciphertext made for the system wallet (a workflow step's validator copy).
     *
     * @return null when the wallet cannot open it (not made for it, or altered)
     */
    public byte[] decrypt(String ciphertext) {
        ServiceHttp.Answer answer = http.post("/api/v1/wallets/" + address() + "/decrypt", Map.of("ciphertext", ciphertext));
        if (answer.status() == 400) {
            return null;
        }
        if (!answer.ok()) {
            throw new ServiceHttp.UnreachableException("wallet-service answered " + answer.status() + " decrypting", null);
        }
        return Base64.getDecoder().decode(answer.body().path("data").asString());
    }

    /** A ledger signature {@code {algorithm, publicKey, value}} over the 32 bytes of a hash. */
    public ObjectNode sign(String hash) {
        String signer = address();
        ServiceHttp.Answer answer = http.post("/api/v1/wallets/" + signer + "/sign",
                Map.of("data", Base64.getEncoder().encodeToString(LedgerHashes.bytes(hash))));
        if (!answer.ok()) {
            throw new ServiceHttp.UnreachableException("wallet-service answered " + answer.status() + " signing: "
                    + answer.body().path("detail").asString(""), null);
        }
        ObjectNode signature = json.createObjectNode();
        signature.put("algorithm", algorithm).put("publicKey", publicKey).put("value", answer.body().path("signature").asString());
        return signature;
    }
}
