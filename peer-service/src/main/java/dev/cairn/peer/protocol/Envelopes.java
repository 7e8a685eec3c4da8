package dev.cairn.peer.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;

import dev.cairn.ledger.CanonicalJson;
import dev.cairn.ledger.NodeIds;
import dev.cairn.ledger.crypto.SignatureVerifier;
import dev.cairn.ledger.LedgerHashes;
import dev.cairn.peer.config.PeerProperties;
import dev.cairn.peer.identity.NodeIdentity;

/**
 * Signed envelopes, the only form in which installations talk to each other:
 *
 * <pre>{v: 1, type, from, to, ts, nonce, inReplyTo?, body, signature: {algorithm: "ED25519", publicKey, value}}</pre>
 *
 * {@code from} and {@code to} are NodeIds ({@code to} is {@code "*"} for the self-description
 * anyone may fetch), {@code ts} an ISO-8601 instant, {@code nonce} 16 random bytes in hex, and an
 * answer names the nonce of the request it answers in {@code inReplyTo}. The signature signs the
 * 32 bytes of the SHA-256 of the envelope's canonical JSON (RFC 8785) without {@code signature},
 * the rule of every signed record in Cairn.
 *
 * <p>An envelope is believed only if its shape is right, {@code from} is the NodeId of the key
 * that signed it, the signature verifies, it is meant for this node, its time is within the
 * message window of this node's clock, and (for requests) its nonce was not used before.
 */
@Component
public class Envelopes {

    public static final int VERSION = 1;
    public static final String ANYONE = "*";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** An envelope that passed every check. */
    public record Opened(String type, String from, String publicKey, String nonce, String inReplyTo, Instant ts, JsonNode body,
            ObjectNode envelope) {
    }

    private final NodeIdentity identity;
    private final NonceLedger nonces;
    private final JsonMapper json;
    private final Clock clock;
    private final Duration window;

    public Envelopes(NodeIdentity identity, NonceLedger nonces, JsonMapper json, Clock clock, PeerProperties properties) {
        this.identity = identity;
        this.nonces = nonces;
        this.json = json;
        this.clock = clock;
        this.window = properties.messageWindow();
    }

    /** A new envelope from this node. */
    public ObjectNode seal(String type, String to, String inReplyTo, JsonNode body) {
        ObjectNode envelope = unsigned(type, to, inReplyTo, body);
        envelope.set("signature", signature(SignatureVerifier.sha256(CanonicalJson.bytes(envelope))));
        return envelope;
    }

    /**
     * As {@link #seal}, written out: the canonical form that was signed, with the signature added
     * as its first member. A large answer is so written once, not once to sign and again to send;
     * a receiver reads members in any order and computes the canonical form itself.
     */
    public byte[] sealWritten(String type, String to, String inReplyTo, JsonNode body) {
        byte[] signed = CanonicalJson.bytes(unsigned(type, to, inReplyTo, body));
        byte[] signature = CanonicalJson.bytes(signature(SignatureVerifier.sha256(signed)));
        byte[] member = "{\"signature\":".getBytes(StandardCharsets.US_ASCII);
        byte[] written = new byte[member.length + signature.length + signed.length];
        System.arraycopy(member, 0, written, 0, member.length);
        System.arraycopy(signature, 0, written, member.length, signature.length);
        written[member.length + signature.length] = ',';
        System.arraycopy(signed, 1, written, member.length + signature.length + 1, signed.length - 1);
        return written;
    }

    private ObjectNode unsigned(String type, String to, String inReplyTo, JsonNode body) {
        ObjectNode envelope = json.createObjectNode().put("v", VERSION).put("type", type).put("from", identity.nodeId()).put("to", to)
                .put("ts", clock.instant().toString()).put("nonce", nonce());
        if (inReplyTo != null) {
            envelope.put("inReplyTo", inReplyTo);
        }
        envelope.set("body", body);
        return envelope;
    }

    private ObjectNode signature(byte[] hash) {
        return json.createObjectNode().put("algorithm", NodeIdentity.ALGORITHM).put("publicKey", identity.publicKeyBase64())
                .put("value", Base64.getEncoder().encodeToString(identity.sign(hash)));
    }

    /** A request to this node: every check, the nonce's first use included. */
    public Opened openRequest(JsonNode envelope, String expectedType) {
        Opened opened = open(envelope, null, expectedType, false);
        if (!nonces.firstUse(opened.from(), opened.nonce())) {
            throw PeerRefusal.replayed("This message (nonce " + opened.nonce() + ") was received before");
        }
        return opened;
    }

    /**
     * An answer to a request this node sent to {@code expectedFrom} (null on first contact, when
     * any NodeId may answer) with nonce {@code requestNonce}: it must name that nonce, which
     * rules out the replay of an old answer.
     */
    public Opened openAnswer(JsonNode envelope, String expectedType, String expectedFrom, String requestNonce) {
        return openAnswer(envelope, null, expectedType, expectedFrom, requestNonce);
    }

    /**
     * As {@link #openAnswer(JsonNode, String, String, String)}, for an answer read from
     * {@code written}: when those bytes are in the form {@link #sealWritten} gives (the signature
     * first, then the signed canonical form), the signature is checked against their hash, and
     * the canonical form is not computed again from the parsed envelope; otherwise, or when that
     * check fails, it is.
     */
    public Opened openAnswer(JsonNode envelope, byte[] written, String expectedType, String expectedFrom, String requestNonce) {
        Opened opened = open(envelope, written, expectedType, true);
        if (expectedFrom != null && !expectedFrom.equals(opened.from())) {
            throw PeerRefusal.unauthenticated("wrong-peer", "The answer comes from node " + opened.from() + ", not " + expectedFrom);
        }
        if (!requestNonce.equals(opened.inReplyTo())) {
            throw PeerRefusal.unauthenticated("not-an-answer", "The answer does not name the request it answers");
        }
        return opened;
    }

    /** A node's self-description, addressed to anyone. */
    public Opened openInfo(JsonNode envelope) {
        return open(envelope, null, "info", true);
    }

    private Opened open(JsonNode envelope, byte[] written, String expectedType, boolean mayBeForAnyone) {
        if (envelope == null || !envelope.isObject()) {
            throw PeerRefusal.badRequest("invalid-envelope", "A peer message is a signed envelope (a JSON object)");
        }
        if (envelope.path("v").asInt(-1) != VERSION) {
            throw PeerRefusal.badRequest("invalid-envelope", "Envelope version " + envelope.path("v") + " is not " + VERSION);
        }
        String type = text(envelope, "type");
        if (!expectedType.equals(type)) {
            throw PeerRefusal.badRequest("invalid-envelope", "Expected a message of type " + expectedType + ", not " + type);
        }
        String from = text(envelope, "from");
        String to = text(envelope, "to");
        String nonce = text(envelope, "nonce");
        if (!NodeIds.isValid(from) || !nonce.matches("[0-9a-f]{32}") || !envelope.has("body")) {
            throw PeerRefusal.badRequest("invalid-envelope", "from must be a NodeId, nonce 32 hex digits, and a body present");
        }
        JsonNode signature = envelope.path("signature");
        if (!NodeIdentity.ALGORITHM.equals(signature.path("algorithm").asString(""))) {
            throw PeerRefusal.unauthenticated("invalid-signature", "Peer messages are signed with ED25519");
        }
        byte[] publicKey;
        try {
            publicKey = Base64.getDecoder().decode(signature.path("publicKey").asString(""));
        } catch (IllegalArgumentException e) {
            throw PeerRefusal.unauthenticated("invalid-signature", "The signature's public key is not base64");
        }
        if (!from.equals(NodeIds.of(publicKey))) {
            throw PeerRefusal.unauthenticated("sender-not-key", "from is not the NodeId of the key that signed the message");
        }
        String hash = writtenHash(written);
        if (hash == null || !LedgerHashes.signatureValid(envelope, hash)) {
            try {
                hash = LedgerHashes.hashWithout(envelope, "signature");
            } catch (IllegalArgumentException e) {
                throw PeerRefusal.badRequest("invalid-envelope", "The envelope has no canonical form: " + e.getMessage());
            }
            if (!LedgerHashes.signatureValid(envelope, hash)) {
                throw PeerRefusal.unauthenticated("invalid-signature", "The message's signature does not verify");
            }
        }
        if (!identity.nodeId().equals(to) && !(mayBeForAnyone && ANYONE.equals(to))) {
            throw PeerRefusal.forbidden("not-for-this-node", "The message is meant for node " + to + ", not " + identity.nodeId());
        }
        Instant ts;
        try {
            ts = Instant.parse(text(envelope, "ts"));
        } catch (DateTimeParseException e) {
            throw PeerRefusal.badRequest("invalid-envelope", "ts must be an ISO-8601 instant");
        }
        Duration off = Duration.between(clock.instant(), ts).abs();
        if (off.compareTo(window) > 0) {
            throw PeerRefusal.unauthenticated("outside-time-window", "The message's time is " + off.toSeconds()
                    + " s from this node's clock; at most " + window.toSeconds() + " s is accepted");
        }
        String inReplyTo = envelope.path("inReplyTo").isString() ? envelope.path("inReplyTo").stringValue() : null;
        return new Opened(type, from, signature.path("publicKey").stringValue(), nonce, inReplyTo, ts, envelope.path("body"),
                (ObjectNode) envelope);
    }

    /**
     * The hash of the signed part of an envelope written as {@link #sealWritten} writes it,
     * {@code {"signature":{...},<the rest>}}: the SHA-256 of {@code {<the rest>}}, the bytes that
     * were parsed into the envelope's other members; null when the bytes are not in that form.
     * (A "signature" member in the rest would make the parsed envelope use that one, which would
     * then have to sign bytes that hold it: no key holder can make such a signature.)
     */
    String writtenHash(byte[] written) {
        if (written == null) {
            return null;
        }
        try (JsonParser parser = json.createParser(written)) {
            if (parser.nextToken() != JsonToken.START_OBJECT || parser.nextToken() != JsonToken.PROPERTY_NAME
                    || !"signature".equals(parser.currentName()) || parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            parser.skipChildren();
            long end = parser.currentLocation().getByteOffset(); // just after the signature's closing brace
            if (end <= 0 || end >= written.length || written[(int) end] != ',') {
                return null;
            }
            MessageDigest sha256 = SignatureVerifier.sha256();
            sha256.update((byte) '{');
            sha256.update(written, (int) end + 1, written.length - (int) end - 1);
            return LedgerHashes.hex(sha256.digest());
        } catch (JacksonException e) {
            return null;
        }
    }

    private static String text(JsonNode envelope, String field) {
        JsonNode value = envelope.path(field);
        if (!value.isString()) {
            throw PeerRefusal.badRequest("invalid-envelope", "The envelope's " + field + " must be a string");
        }
        return value.stringValue();
    }

    private static String nonce() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return LedgerHashes.hex(bytes);
    }
}
