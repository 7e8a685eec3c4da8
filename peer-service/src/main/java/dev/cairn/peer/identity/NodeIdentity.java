package dev.cairn.peer.identity;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.stereotype.Component;

import dev.cairn.keys.KeyProtectors;
import dev.cairn.keys.KeySealer;
import dev.cairn.keys.SealedKey;
import dev.cairn.ledger.NodeIds;
import dev.cairn.ledger.crypto.Ed25519;
import dev.cairn.ledger.crypto.SignatureVerifier;
import dev.cairn.peer.config.PeerProperties;
import dev.cairn.platform.crypto.AesGcm;

/**
 * The installation's node key: one Ed25519 key pair per installation, made by the first
 * peer-service replica that starts and kept in MongoDB ({@code peer_identity}). Its private key is
 * sealed like a wallet's: under its own data key, bound to the NodeId, the data key wrapped by the
 * local key-encryption key or a Vault transit key ({@code cairn.peer.keys}). Every replica reads
 * the same document, so all replicas of an installation are one node, however many run. The
 * NodeId is the lower-case hex of the first 20 bytes of the SHA-256 of the raw public key: whoever
 * holds a message's key can check its sender's id.
 *
 * <p>At start, a node key wrapped under an older key version (a rotated local key listed in
 * {@code previous-keys}, or an older version of the transit key) is rewrapped under the current
 * one, and a node key in the earlier single-key format is moved to the sealed format.
 */
@Component
public class NodeIdentity {

    public static final String ALGORITHM = SignatureVerifier.ED25519;
    public static final KeyProtectors.Purpose NODE_KEY = new KeyProtectors.Purpose("node", "cairn.peer.keys", "cairn-peer",
            "cairn/peer/data-key");
    private static final Logger log = LoggerFactory.getLogger(NodeIdentity.class);
    private static final String LEGACY_WRAPPED = "wrappedPrivateKey";

    private final String nodeId;
    private final byte[] publicKey;
    private final byte[] privateKey;

    public NodeIdentity(MongoDatabaseFactory databases, KeySealer sealer, PeerProperties properties) {
        MongoCollection<Document> identities = databases.getMongoDatabase().getCollection("peer_identity");
        Document stored = identities.find(Filters.eq("_id", "node")).first();
        if (stored == null) {
            stored = create(identities, sealer);
        }
        this.publicKey = Base64.getDecoder().decode(stored.getString("publicKey"));
        this.nodeId = NodeIds.of(publicKey);
        if (!nodeId.equals(stored.getString("nodeId"))) {
            throw new IllegalStateException("peer_identity: the stored NodeId does not belong to the stored public key");
        }
        Document sealedDocument = stored.get("sealedKey", Document.class);
        if (sealedDocument == null && stored.containsKey(LEGACY_WRAPPED)) {
            this.privateKey = openLegacy(stored.getString(LEGACY_WRAPPED), properties);
            reseal(identities, sealer, Filters.exists(LEGACY_WRAPPED), sealer.seal(nodeId, privateKey));
        } else if (sealedDocument != null) {
            SealedKey sealed = fromDocument(sealedDocument);
            try {
                this.privateKey = sealer.open(nodeId, sealed);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("The node key cannot be unwrapped: the key-encryption key is not the one it was sealed with");
            }
            String current = sealer.protector().currentVersion();
            if (!current.equals(sealed.keyVersion())) {
                reseal(identities, sealer, Filters.eq("sealedKey.keyVersion", sealed.keyVersion()), sealer.rewrap(sealed));
            }
        } else {
            throw new IllegalStateException("peer_identity: the node document holds no private key");
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

    private static Document create(MongoCollection<Document> identities, KeySealer sealer) {
        byte[] seed = Ed25519.generatePrivateKey();
        byte[] pub = Ed25519.publicKey(seed);
        String id = NodeIds.of(pub);
        Document made = new Document("_id", "node").append("algorithm", ALGORITHM).append("nodeId", id)
                .append("publicKey", Base64.getEncoder().encodeToString(pub)).append("sealedKey", toDocument(sealer.seal(id, seed)))
                .append("createdAt", new Date());
        Arrays.fill(seed, (byte) 0);
        try {
            identities.insertOne(made);
            log.info("Created this installation's node key: NodeId {}", id);
            return made;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            return identities.find(Filters.eq("_id", "node")).first(); // another replica made it first
        }
    }

    /** Stores the node key sealed anew, unless another replica already did (the filter then matches nothing). */
    private void reseal(MongoCollection<Document> identities, KeySealer sealer, org.bson.conversions.Bson unchanged, SealedKey sealed) {
        long updated = identities.updateOne(Filters.and(Filters.eq("_id", "node"), unchanged),
                Updates.combine(Updates.set("sealedKey", toDocument(sealed)), Updates.unset(LEGACY_WRAPPED))).getModifiedCount();
        if (updated == 1) {
            log.info("Sealed the node key of {} under {} key version {}", nodeId, sealer.protector().kind(), sealed.keyVersion());
        }
    }

    /** The earlier format: the private key itself under the local key-encryption key, bound to the NodeId. */
    private byte[] openLegacy(String wrapped, PeerProperties properties) {
        byte[] kek = KeyProtectors.localKey(properties.keys().local(), NODE_KEY);
        try {
            return AesGcm.decrypt(kek, Base64.getDecoder().decode(wrapped), ("cairn/peer/node-key/" + nodeId).getBytes(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("The node key cannot be unwrapped: the key-encryption key is not the one it was sealed with");
        } finally {
            Arrays.fill(kek, (byte) 0);
        }
    }

    private static Document toDocument(SealedKey sealed) {
        return new Document("ciphertext", Base64.getEncoder().encodeToString(sealed.ciphertext())).append("wrappedDataKey", sealed.wrappedDataKey())
                .append("protector", sealed.protector()).append("keyVersion", sealed.keyVersion());
    }

    private static SealedKey fromDocument(Document document) {
        return new SealedKey(Base64.getDecoder().decode(document.getString("ciphertext")), document.getString("wrappedDataKey"),
                document.getString("protector"), document.getString("keyVersion"));
    }
}
