package dev.cairn.platform.workflow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.cairn.ledger.crypto.Ed25519;
import dev.cairn.ledger.crypto.LedgerAddress;

/** The sample blueprints of {@code samples/blueprints}, and wallets to bind their participants to. */
final class Samples {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private Samples() {
    }

    static JsonNode document(String name) {
        try {
            return JSON.readTree(Files.readString(Path.of("..", "samples", "blueprints", name + ".json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Workflow workflow(String name) {
        return Workflow.of(document(name));
    }

    static ObjectNode data(String json) {
        return (ObjectNode) JSON.readTree(json);
    }

    /** An Ed25519 key pair with its address. */
    record Wallet(byte[] privateKey, byte[] publicKey, String address) {
        static Wallet create() {
            byte[] key = Ed25519.generatePrivateKey();
            byte[] pub = Ed25519.publicKey(key);
            return new Wallet(key, pub, LedgerAddress.of("ED25519", pub));
        }
    }

    static Map<String, Wallet> wallets(Workflow workflow) {
        Map<String, Wallet> wallets = new LinkedHashMap<>();
        workflow.blueprint().participants().forEach(p -> wallets.put(p.id(), Wallet.create()));
        return wallets;
    }

    static Map<String, String> bindings(Map<String, Wallet> wallets) {
        Map<String, String> bound = new LinkedHashMap<>();
        wallets.forEach((id, w) -> bound.put(id, w.address()));
        return bound;
    }
}
