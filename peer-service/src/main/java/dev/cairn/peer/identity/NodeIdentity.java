package dev.cairn.peer.identity;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.stereotype.Component;

import dev.cairn.ledger.NodeIds;
import dev.cairn.ledger.crypto.Ed25519;
import dev.cairn.ledger.crypto.SignatureVerifier;
import dev.cairn.peer.config.PeerProperties;
import dev.cairn.platform.crypto.AesGcm;

/**
 * The installation's node key: one Ed25519 key pair per installation, made by the first
 * peer-service replica that starts and kept in MongoDB ({@code peer_identity}), its private key
 * wrapped with AES-256-GCM under the key-encryption key ({@code cairn.peer.key-encryption-key}),
 * bound to the NodeId. Every replica reads the same document, so all replicas of an installation
 * are one node, however many run. The NodeId is the lower-case hex of the first 20 bytes of the
 * SHA-256 of the raw public key: whoever holds a message's key can check its sender's id.
 */
@Component
public class NodeIdentity {

    public static final String ALGORITHM = SignatureVerifier.ED25519;
    private static final Logger log = LoggerFactory.getLogger(NodeIdentity.class);

    private final String nodeId;
    private final byte[] publicKey;
    private final byte[] privateKey;

    public NodeIdentity(MongoDatabaseFactory databases, PeerProperties properties) {
        byte[] kek = keyEncryptionKey(properties.keyEncryptionKey());
        MongoCollection<Document> identities = databases.getMongoDatabase().getCollection("peer_identity");
        Document stored = identities.find(Filters.eq("_id", "node")).first();
        if (stored == null) {
            byte[] seed = Ed25519.generatePrivateKey();
            byte[] pub = Ed25519.publicKey(seed);
            String id = NodeIds.of(pub);
            Document made = new Document("_id", "node").append("algorithm", ALGORITHM).append("nodeId", id)
                    .append("publicKey", Base64.getEncoder().encodeToString(pub))
                    .append("wrappedPrivateKey", Base64.getEncoder().encodeToString(AesGcm.encrypt(kek, seed, associatedData(id))))
                    .append("createdAt", new Date());
            Arrays.fill(seed, (byte) 0);
            try {
                identities.insertOne(made);
                log.info("Created this installation's node key: NodeId {}", id);
                stored = made;
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
                stored = identities.find(Filters.eq("_id", "node")).first(); // another replica made it first
            }
        }
        this.publicKey = Base64.getDecoder().decode(stored.getString("publicKey"));
        this.nodeId = NodeIds.of(publicKey);
        if (!nodeId.equals(stored.getString("nodeId"))) {
            throw new IllegalStateException("peer_identity: the stored NodeId does not belong to the stored public key");
        }
        try {
            this.privateKey = AesGcm.decrypt(kek, Base64.getDecoder().decode(stored.getString("wrappedPrivateKey")), associatedData(nodeId));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("The node key cannot be unwrapped: cairn.peer.key-encryption-key is not the key it was made with");
        }
        if (!Arrays.equals(Ed25519.publicKey(privateKey), publicKey)) {
            throw new IllegalStateException("peer_identity: the private key does not match the public key");
        }
    }

    public String nodeId() {
        return nodeId;
    }

    public String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(publicKey);
    }

    public byte[] sign(byte[] message) {
        return Ed25519.sign(privateKey, message);
    }

    private static byte[] associatedData(String nodeId) {
        return ("cairn/peer/node-key/" + nodeId).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] keyEncryptionKey(String base64) {
        if (base64 == null || base64.isBlank()) {
            throw new IllegalStateException("cairn.peer.key-encryption-key (CAIRN_PEER_KEYENCRYPTIONKEY) is required: base64 of 32 random bytes");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("cairn.peer.key-encryption-key is not base64");
        }
        if (key.length != AesGcm.KEY_SIZE) {
            throw new IllegalStateException("cairn.peer.key-encryption-key must be 32 bytes");
        }
        return key;
    }
}
