package dev.cairn.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the load works on for the whole campaign: registers (each followed over a WebSocket, as
 * a browser follows it), a wallet that signs, and the purchase-order blueprint with a buyer's
 * and a supplier's wallet (the supplier's notifications followed too).
 */
final class Fixture implements AutoCloseable {

    static final int REGISTERS = 3;

    final Api api;
    final Session session;
    final List<String> registers;
    final String signer;
    final String buyer;
    final String supplier;
    final String blueprintId;
    /** Per register: the follower of its events (/ws/registers). */
    final Map<String, StreamFollower> registerFollowers = new LinkedHashMap<>();
    /** The supplier's notifications (/ws/blueprints). */
    final StreamFollower supplierFollower;

    private Fixture(Api api, Session session, List<String> registers, String signer, String buyer, String supplier, String blueprintId,
            String websocketBase) {
        this.api = api;
        this.session = session;
        this.registers = List.copyOf(registers);
        this.signer = signer;
        this.buyer = buyer;
        this.supplier = supplier;
        this.blueprintId = blueprintId;
        for (String registerId : registers) {
            registerFollowers.put(registerId, new StreamFollower(websocketBase + "/ws/registers", session,
                    "\"registerId\":\"" + registerId + "\"").connect());
        }
        supplierFollower = new StreamFollower(websocketBase + "/ws/blueprints", session, "\"wallet\":\"" + supplier + "\"").connect();
    }

    static Fixture prepare(Api api, Session session, Path repositoryRoot, String websocketBase) {
        List<String> registers = new ArrayList<>();
        for (int i = 0; i < REGISTERS; i++) {
            registers.add(onlineRegister(api, session, "Fault campaign " + (i + 1)));
        }
        String signer = wallet(api, session, "campaign signer");
        String buyer = wallet(api, session, "campaign buyer");
        String supplier = wallet(api, session, "campaign supplier");
        String document;
        try {
            document = Files.readString(repositoryRoot.resolve("samples/blueprints/purchase-order.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String blueprintId = api.call(api.post("/api/blueprints", session.get(), document)).path("id").asString();
        api.call(api.post("/api/blueprints/" + blueprintId + "/publish", session.get(), ""));
        return new Fixture(api, session, registers, signer, buyer, supplier, blueprintId, websocketBase);
    }

    private static String onlineRegister(Api api, Session session, String name) {
        ObjectNode body = Api.JSON.createObjectNode().put("name", name);
        String id = api.call(api.post("/api/registers", session.get(), body.toString())).path("id").asString();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!"ONLINE".equals(api.callPatiently(() -> api.get("/api/registers/" + id, session.get()), Duration.ofSeconds(30))
                .path("status").asString())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("register " + id + " was not sealed online within 60 s");
            }
            Pause.millis(200);
        }
        return id;
    }

    private static String wallet(Api api, Session session, String name) {
        ObjectNode body = Api.JSON.createObjectNode().put("name", name).put("algorithm", "ED25519").put("wordCount", 12);
        JsonNode created = api.call(api.post("/api/wallets", session.get(), body.toString()));
        return created.path("address").asString();
    }

    @Override
    public void close() {
        registerFollowers.values().forEach(StreamFollower::close);
        supplierFollower.close();
    }
}
