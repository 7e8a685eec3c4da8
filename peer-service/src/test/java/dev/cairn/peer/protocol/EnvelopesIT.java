package dev.cairn.peer.protocol;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;

import com.mongodb.client.MongoClient;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.data.mongodb.core.SimpleMongoClientDatabaseFactory;

import dev.cairn.keys.KeyProtectors;
import dev.cairn.keys.KeySealer;
import dev.cairn.peer.config.PeerProperties;
import dev.cairn.peer.identity.NodeIdentity;
import dev.cairn.platform.crypto.AesGcm;
import dev.cairn.platform.problem.ApiException;
import dev.cairn.testsupport.EmbeddedMongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Two nodes on their own (embedded) MongoDB databases: what one seals the other believes, and nothing else. */
public class EnvelopesIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String KEK = Base64.getEncoder().encodeToString(AesGcm.newKey());

    @AutoClose
    private final EmbeddedMongo mongo = new EmbeddedMongo();
    private final MongoClient client = mongo.client();
    private Clock clock = Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC);

    /** Nodes a and b, each on its own database. */
    private Envelopes a;
    private Envelopes b;
    private String nodeA;
    private String nodeB;

    @BeforeEach
    void start() {
        a = envelopes("a");
        b = envelopes("b");
        nodeA = identity("a", KEK).nodeId();
        nodeB = identity("b", KEK).nodeId();
    }

    @Test
    void anEnvelopeIsBelievedOnlyAsSignedForThisNodeInItsWindowAndOnce() {
        ObjectNode body = JSON.createObjectNode().put("hello", "world");

        ObjectNode sent = a.seal("exchange", nodeB, null, body);
        Envelopes.Opened opened = b.openRequest(sent, "exchange");
        assertThat(opened.from()).isEqualTo(nodeA);
        assertThat(opened.body()).isEqualTo(body);
        assertRefused(() -> b.openRequest(sent, "exchange"), 409, "replayed-message");

        ObjectNode altered = a.seal("exchange", nodeB, null, body);
        ((ObjectNode) altered.path("body")).put("hello", "mars");
        assertRefused(() -> b.openRequest(altered, "exchange"), 401, "invalid-signature");
        ObjectNode impostor = a.seal("exchange", nodeB, null, body);
        impostor.put("from", nodeB);
        assertRefused(() -> b.openRequest(impostor, "exchange"), 401, "sender-not-key");
        assertRefused(() -> b.openRequest(a.seal("exchange", nodeA, null, body), "exchange"), 403, "not-for-this-node");
        assertRefused(() -> b.openRequest(a.seal("dockets", nodeB, null, body), "exchange"), 400, "invalid-envelope");
        ObjectNode unsigned = a.seal("exchange", nodeB, null, body);
        unsigned.remove("signature");
        assertRefused(() -> b.openRequest(unsigned, "exchange"), 401, "invalid-signature");

        clock = Clock.offset(clock, Duration.ofMinutes(3));
        Envelopes late = envelopes("b");
        assertRefused(() -> late.openRequest(a.seal("exchange", nodeB, null, body), "exchange"), 401, "outside-time-window");
    }

    @Test
    void anAnswerMustComeFromTheNodeAskedAndNameTheRequest() {
        ObjectNode request = a.seal("dockets", nodeB, null, JSON.createObjectNode());
        String nonce = request.path("nonce").asString();
        ObjectNode answer = b.seal("dockets.answer", nodeA, nonce, JSON.createObjectNode().put("ok", true));
        assertThat(a.openAnswer(answer, "dockets.answer", nodeB, nonce).body().path("ok").asBoolean()).isTrue();
        assertRefused(() -> a.openAnswer(answer, "dockets.answer", nodeB, "0".repeat(32)), 401, "not-an-answer");
        assertRefused(() -> a.openAnswer(answer, "dockets.answer", "1".repeat(40), nonce), 401, "wrong-peer");
    }

    @Test
    void anAnswerWrittenOutAsSignedOpensLikeAnyOtherAndItsBytesCannotBeChanged() {
        String nonce = a.seal("dockets", nodeB, null, JSON.createObjectNode()).path("nonce").asString();
        ObjectNode body = JSON.createObjectNode().put("registerId", "r").put("text", "caf\u00e9 \"quoted\"").put("big", 12345678901234L);
        body.putArray("dockets").addObject().put("height", 0);
        String written = new String(b.sealWritten("dockets.answer", nodeA, nonce, body), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(written).startsWith("{\"signature\":{");

        Envelopes.Opened opened = a.openAnswer(JSON.readTree(written), "dockets.answer", nodeB, nonce);
        assertThat(opened.body()).isEqualTo(body);
        String changed = written.replace("\"height\":0", "\"height\":1");
        assertThat(changed).isNotEqualTo(written);
        assertRefused(() -> a.openAnswer(JSON.readTree(changed), "dockets.answer", nodeB, nonce), 401, "invalid-signature");
    }

    /** Opened with the bytes it came in: checked against their hash, and refused the same way when one byte differs. */
    @Test
    void anAnswerOpenedWithItsBytesIsCheckedAgainstThem() {
        String nonce = a.seal("dockets", nodeB, null, JSON.createObjectNode()).path("nonce").asString();
        ObjectNode body = JSON.createObjectNode().put("registerId", "r").put("text", "caf\u00e9 \"quoted\" }{");
        body.putArray("dockets").addObject().put("height", 0);
        byte[] written = b.sealWritten("dockets.answer", nodeA, nonce, body);
        // the hash of the bytes as written is the hash the protocol defines (of the canonical form), found without it
        assertThat(a.writtenHash(written)).isEqualTo(dev.cairn.ledger.LedgerHashes.hashWithout(JSON.readTree(written), "signature"));
        assertThat(a.openAnswer(JSON.readTree(written), written, "dockets.answer", nodeB, nonce).body()).isEqualTo(body);

        byte[] changed = new String(written, java.nio.charset.StandardCharsets.UTF_8).replace("\"height\":0", "\"height\":1")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertRefused(() -> a.openAnswer(JSON.readTree(changed), changed, "dockets.answer", nodeB, nonce), 401, "invalid-signature");

        // the same envelope written another way (members in another order, white space): checked through its canonical form
        byte[] rewritten = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(b.seal("dockets.answer", nodeA, nonce, body));
        assertThat(a.writtenHash(rewritten)).isNull();
        assertThat(a.openAnswer(JSON.readTree(rewritten), rewritten, "dockets.answer", nodeB, nonce).body()).isEqualTo(body);

        // a second signature member after the signed part is what the parsed envelope holds: it signs nothing here
        String forged = new String(written, java.nio.charset.StandardCharsets.UTF_8);
        String otherSignature = JSON.readTree(b.sealWritten("dockets.answer", nodeA, nonce, JSON.createObjectNode())).path("signature").toString();
        byte[] doubled = (forged.substring(0, forged.length() - 1) + ",\"signature\":" + otherSignature + "}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertRefused(() -> a.openAnswer(JSON.readTree(doubled), doubled, "dockets.answer", nodeB, nonce), 401, "invalid-signature");
    }

    private static void assertRefused(Runnable call, int status, String type) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.getStatusCode().value()).isEqualTo(status);
            assertThat(e.getBody().getType().toString()).endsWith("/" + type);
        });
    }

    private Envelopes envelopes(String database) {
        PeerProperties properties = properties(KEK);
        SimpleMongoClientDatabaseFactory databases = new SimpleMongoClientDatabaseFactory(client, database);
        return new Envelopes(identity(database, KEK), new NonceLedger(databases, properties, clock), JSON, clock, properties);
    }

    private NodeIdentity identity(String database, String kek) {
        PeerProperties properties = properties(kek);
        return new NodeIdentity(new SimpleMongoClientDatabaseFactory(client, database),
                new KeySealer(KeyProtectors.create(properties.keys(), NodeIdentity.NODE_KEY)), properties);
    }

    static PeerProperties properties(String kek) {
        return bind(Map.of("cairn.peer.keys.local.key", kek));
    }

    /** The peer service's settings as Spring binds them from these properties, every other one at its default. */
    public static PeerProperties bind(Map<String, String> settings) {
        return new org.springframework.boot.context.properties.bind.Binder(
                new org.springframework.boot.context.properties.source.MapConfigurationPropertySource(settings))
                .bindOrCreate("cairn.peer", PeerProperties.class);
    }
}
