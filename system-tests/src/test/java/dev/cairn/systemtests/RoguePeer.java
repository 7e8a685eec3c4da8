package dev.cairn.systemtests;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import dev.cairn.ledger.CanonicalJson;
import dev.cairn.ledger.LedgerHashes;
import dev.cairn.ledger.crypto.Ed25519;
import dev.cairn.ledger.crypto.SignatureVerifier;
import dev.cairn.testsupport.LedgerFixture;

/**
 * A peer that relays a real home installation's dockets and tampers with them on the way: an
 * installation of its own as far as the protocol goes (its own node key, envelopes signed by
 * it), written from the protocol's description in docs/peers.md rather than with the peer
 * service's classes. It advertises one of the home's registers as the home advertised it.
 */
final class RoguePeer implements AutoCloseable {

    enum Tamper { NONE, TRANSACTION_BYTE, RESIGNED_DOCKET, HEAD_ROOT, FORK }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key = Ed25519.generatePrivateKey();
    final String nodeId = nodeIdOf(Ed25519.publicKey(key));
    private final HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI home;
    private final String homeNodeId;
    private volatile JsonNode advertisement;
    volatile Tamper tamper = Tamper.NONE;
    /** For {@link Tamper#FORK}: {docket, transactions} served in place of the home's docket at its height. */
    volatile JsonNode fork;

    RoguePeer(URI home, String homeNodeId) throws IOException {
        this.home = home;
        this.homeNodeId = homeNodeId;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/peer/v1/info", e -> answer(e, seal("info", "*", null, LedgerFixture.JSON.createObjectNode().put("nodeId", nodeId)
                .put("url", url().toString()))));
        server.createContext("/peer/v1/exchange", e -> {
            JsonNode request = LedgerFixture.JSON.readTree(e.getRequestBody().readAllBytes());
            answer(e, seal("exchange.answer", request.path("from").asString(), request.path("nonce").asString(), exchangeBody()));
        });
        server.createContext("/peer/v1/dockets", e -> {
            JsonNode request = LedgerFixture.JSON.readTree(e.getRequestBody().readAllBytes());
            JsonNode served = call(home, homeNodeId, "dockets", request.path("body")).path("body");
            answer(e, seal("dockets.answer", request.path("from").asString(), request.path("nonce").asString(), tampered((ObjectNode) served.deepCopy())));
        });
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void advertise(JsonNode advertisement) {
        this.advertisement = advertisement;
    }

    /** Makes itself known to an installation, as a new peer does: one exchange. */
    JsonNode introduceTo(URI installation, String nodeIdThere) {
        return call(installation, nodeIdThere, "exchange", exchangeBody());
    }

    /** Any envelope of this node, for tests of the receiving side. */
    ObjectNode seal(String type, String to, String inReplyTo, JsonNode body) {
        return seal(type, to, inReplyTo, body, Instant.now(), nonce());
    }

    ObjectNode seal(String type, String to, String inReplyTo, JsonNode body, Instant ts, String nonce) {
        ObjectNode envelope = LedgerFixture.JSON.createObjectNode().put("v", 1).put("type", type).put("from", nodeId).put("to", to)
                .put("ts", ts.toString()).put("nonce", nonce);
        if (inReplyTo != null) {
            envelope.put("inReplyTo", inReplyTo);
        }
        envelope.set("body", body);
        byte[] hash = SignatureVerifier.sha256(CanonicalJson.bytes(envelope));
        envelope.putObject("signature").put("algorithm", "ED25519").put("publicKey", Base64.getEncoder().encodeToString(Ed25519.publicKey(key)))
                .put("value", Base64.getEncoder().encodeToString(Ed25519.sign(key, hash)));
        return envelope;
    }

    static String nonce() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static String nodeIdOf(byte[] publicKey) {
        return HexFormat.of().formatHex(Arrays.copyOf(SignatureVerifier.sha256(publicKey), 20));
    }

    private ObjectNode exchangeBody() {
        ObjectNode body = LedgerFixture.JSON.createObjectNode().put("url", url().toString());
        body.putArray("peers");
        ArrayNode registers = body.putArray("registers");
        if (advertisement != null) {
            registers.add(advertisement);
        }
        return body;
    }

    private JsonNode tampered(ObjectNode served) {
        ArrayNode dockets = (ArrayNode) served.path("dockets");
        switch (tamper) {
            case TRANSACTION_BYTE -> {
                if (!dockets.isEmpty()) {
                    // one character of a signed transaction changed: its id no longer matches its content
                    ObjectNode tx = (ObjectNode) dockets.get(dockets.size() - 1).path("transactions").get(0);
                    tx.put("timestamp", tx.path("timestamp").asString().startsWith("1") ? "2001-01-01T00:00:00Z" : "1999-01-01T00:00:00Z");
                }
            }
            case RESIGNED_DOCKET -> {
                if (!dockets.isEmpty()) {
                    ObjectNode docket = (ObjectNode) dockets.get(0).path("docket");
                    byte[] stranger = Ed25519.generatePrivateKey();
                    docket.remove("signature");
                    String hash = LedgerHashes.docketHash(docket);
                    docket.putObject("signature").put("algorithm", "ED25519")
                            .put("publicKey", Base64.getEncoder().encodeToString(Ed25519.publicKey(stranger)))
                            .put("value", Base64.getEncoder().encodeToString(Ed25519.sign(stranger, LedgerHashes.bytes(hash))));
                }
            }
            case HEAD_ROOT -> {
                if (served.path("head").isObject()) {
                    ((ObjectNode) served.path("head")).put("rootHash", "ab".repeat(32));
                }
            }
            case FORK -> {
                for (int i = 0; i < dockets.size(); i++) {
                    JsonNode candidate = dockets.get(i).path("docket");
                    if (candidate.path("registerId").equals(fork.path("docket").path("registerId"))
                            && candidate.path("height").asLong() == fork.path("docket").path("height").asLong()) {
                        dockets.set(i, fork);
                    }
                }
            }
            case NONE -> {
            }
        }
        return served;
    }

    private JsonNode call(URI base, String to, String type, JsonNode body) {
        ObjectNode envelope = seal(type, to, null, body);
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/peer/v1/" + type))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(envelope.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(type + " to " + base + ": " + response.statusCode() + " " + response.body());
            }
            return LedgerFixture.JSON.readTree(response.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void answer(HttpExchange exchange, JsonNode body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
