package dev.cairn.blueprint.clients;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import dev.cairn.blueprint.config.BlueprintProperties;
import dev.cairn.platform.auth.ServiceTokenClient;
import dev.cairn.ledger.crypto.LedgerAddress;
import dev.cairn.platform.http.ServiceHttp;

/**
 * Registers as workflows need them: the organisation a register belongs to, and the wallet of
 * the validators that seal it (the signer of its genesis docket), to which each step's
 * validator copy is encrypted. A register is kept once it is online: neither changes after.
 */
@Component
public class RegisterDirectory {

    /** An online register and the validators' wallet. */
    public record Register(String id, String organizationId, WalletDirectory.PublicKey validators) {
    }

    private static final int KEPT = 10_000;

    private final ServiceHttp http;
    private final Map<String, Register> online = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Register> eldest) {
            return size() > KEPT;
        }
    };

    RegisterDirectory(BlueprintProperties properties, ServiceTokenClient tokens, JsonMapper json) {
        this.http = new ServiceHttp("register-service", properties.registerUris(), tokens, json);
    }

    /** The register, when it exists and its genesis docket is sealed. */
    public Optional<Register> online(String registerId) {
        synchronized (online) {
            Register known = online.get(registerId);
            if (known != null) {
                return Optional.of(known);
            }
        }
        ServiceHttp.Answer answer = http.get("/api/registers/" + registerId);
        if (answer.status() == 404 || answer.status() == 400) {
            return Optional.empty();
        }
        if (!answer.ok()) {
            throw new ServiceHttp.UnreachableException("register-service answered " + answer.status(), null);
        }
        if (!"ONLINE".equals(answer.body().path("status").asString())) {
            return Optional.empty();
        }
        ServiceHttp.Answer genesis = http.get("/api/registers/" + registerId + "/dockets/0");
        if (!genesis.ok()) {
            throw new ServiceHttp.UnreachableException("register-service answered " + genesis.status() + " for a genesis docket", null);
        }
        JsonNode signature = genesis.body().path("docket").path("signature");
        String algorithm = signature.path("algorithm").asString();
        byte[] key = Base64.getDecoder().decode(signature.path("publicKey").asString());
        Register register = new Register(registerId, answer.body().path("organizationId").asString(),
                new WalletDirectory.PublicKey(LedgerAddress.of(algorithm, key), algorithm, key));
        synchronized (online) {
            online.put(registerId, register);
        }
        return Optional.of(register);
    }
}
