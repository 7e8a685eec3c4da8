package dev.cairn.peer.identity;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import org.bson.Document;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import org.springframework.data.mongodb.core.SimpleMongoClientDatabaseFactory;

import dev.cairn.peer.protocol.EnvelopesIT;
import dev.cairn.keys.KeyProtectors;
import dev.cairn.keys.KeySealer;
import dev.cairn.ledger.NodeIds;
import dev.cairn.ledger.crypto.Ed25519;
import dev.cairn.peer.config.PeerProperties;
import dev.cairn.platform.crypto.AesGcm;
import dev.cairn.testsupport.EmbeddedMongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The node key on an (embedded) MongoDB: one identity per installation, sealed, and kept through key rotations. */
class NodeIdentityIT {

    private static final String KEK = newKey();

    @AutoClose
    private final EmbeddedMongo mongo = new EmbeddedMongo();
    private final MongoClient client = mongo.client();



    @Test
    void aNodeKeepsOneIdentityAcrossReplicasAndItsIdIsTheHashOfItsKey() {
        NodeIdentity first = identity("a", KEK);
        NodeIdentity second = identity("a", KEK);
        assertThat(second.nodeId()).isEqualTo(first.nodeId()).matches("[0-9a-f]{40}");
        assertThat(NodeIds.of(Base64.getDecoder().decode(first.publicKeyBase64()))).isEqualTo(first.nodeId());
        assertThat(identity("b", KEK).nodeId()).isNotEqualTo(first.nodeId());
        assertThatThrownBy(() -> identity("a", newKey())).hasMessageContaining("is not configured");

        Document stored = stored("a").find().first();
        assertThat(stored.toJson()).doesNotContain("\"privateKey\"");
        assertThat(stored.get("sealedKey", Document.class)).containsEntry("protector", "local").containsKeys("ciphertext", "wrappedDataKey",
                "keyVersion");
    }

    @Test
    void afterTheKeyEncryptionKeyIsRotatedTheNodeKeyIsRewrappedAndTheOldKeyIsNoLongerNeeded() {
        String nodeId = identity("a", KEK).nodeId();
        String before = stored("a").find().first().get("sealedKey", Document.class).getString("keyVersion");
        String rotated = newKey();

        NodeIdentity afterRotation = identity("a", rotated, KEK);
        String after = stored("a").find().first().get("sealedKey", Document.class).getString("keyVersion");
        assertThat(afterRotation.nodeId()).isEqualTo(nodeId);
        assertThat(after).isNotEqualTo(before);

        assertThat(identity("a", rotated).nodeId()).as("the previous key is no longer needed").isEqualTo(nodeId);
    }

    @Test
    void aNodeKeyStoredInTheSingleKeyFormatOpensAndIsSealedAnew() {
        byte[] seed = Ed25519.generatePrivateKey();
        byte[] publicKey = Ed25519.publicKey(seed);
        String nodeId = NodeIds.of(publicKey);
        byte[] wrapped = AesGcm.encrypt(Base64.getDecoder().decode(KEK), seed, ("cairn/peer/node-key/" + nodeId).getBytes(StandardCharsets.UTF_8));
        stored("a").insertOne(new Document("_id", "node").append("algorithm", "Ed25519").append("nodeId", nodeId)
                .append("publicKey", Base64.getEncoder().encodeToString(publicKey))
                .append("wrappedPrivateKey", Base64.getEncoder().encodeToString(wrapped)));

        NodeIdentity identity = identity("a", KEK);
        assertThat(identity.nodeId()).isEqualTo(nodeId);
        assertThat(Ed25519.verify(publicKey, "m".getBytes(StandardCharsets.UTF_8), identity.sign("m".getBytes(StandardCharsets.UTF_8)))).isTrue();
        Document after = stored("a").find().first();
        assertThat(after).doesNotContainKey("wrappedPrivateKey").containsKey("sealedKey");
        assertThat(identity("a", KEK).nodeId()).isEqualTo(nodeId);
    }

    private MongoCollection<Document> stored(String database) {
        return client.getDatabase(database).getCollection("peer_identity");
    }

    private NodeIdentity identity(String database, String kek, String... previous) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of("cairn.peer.keys.local.key", kek));
        if (previous.length > 0) {
            settings.put("cairn.peer.keys.local.previous-keys", String.join(",", previous));
        }
        PeerProperties properties = EnvelopesIT.bind(settings);
        return new NodeIdentity(new SimpleMongoClientDatabaseFactory(client, database),
                new KeySealer(KeyProtectors.create(properties.keys(), NodeIdentity.NODE_KEY)), properties);
    }

    private static String newKey() {
        return Base64.getEncoder().encodeToString(AesGcm.newKey());
    }
}
