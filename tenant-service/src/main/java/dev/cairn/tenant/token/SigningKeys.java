package dev.cairn.tenant.token;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cairn.platform.auth.AuthProperties;
import dev.cairn.platform.auth.Jws;
import dev.cairn.platform.auth.KeySource;
import dev.cairn.platform.crypto.AesGcm;
import dev.cairn.ledger.crypto.Ed25519;
import dev.cairn.tenant.config.TenantProperties;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The token signing keys, shared by every tenant replica through PostgreSQL. Private keys are
 * stored only encrypted under the key-encryption key from configuration. Creation and rotation
 * run under a transaction-scoped advisory lock, so replicas starting or rotating at the same
 * moment create one key, not several.
 *
 * <p>Rotation: the new key is published in the JWKS {@code keyOverlap} before it starts
 * signing (so every verifier has it cached by then); the old key stops signing at that instant
 * and stays published until the last token it signed has expired.
 */
public class SigningKeys implements KeySource {

    private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);
    private static final long ADVISORY_LOCK = 0x6361_6972_6e4bL; // "cairnK"
    private static final Duration PUBLISH_MARGIN = Duration.ofMinutes(5);

    /** A key as published: what verifiers need, and when it signs. */
    public record PublishedKey(String kid, byte[] publicKey, Instant activeFrom, Instant retiredAt, Instant publishedUntil) {
    }

    private record Loaded(List<PublishedKey> published, Map<String, byte[]> privateKeys) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final byte[] keyEncryptionKey;
    private final TenantProperties.Tokens tokens;
    private final AuthProperties auth;
    private final Clock clock;
    private volatile Loaded loaded = new Loaded(List.of(), Map.of());
    private volatile Instant lastReload = Instant.EPOCH;

    public SigningKeys(JdbcClient jdbc, TransactionTemplate transactions, byte[] keyEncryptionKey, TenantProperties.Tokens tokens,
            AuthProperties auth, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.keyEncryptionKey = keyEncryptionKey.clone();
        this.tokens = tokens;
        this.auth = auth;
        this.clock = clock;
        if (tokens.accessLifetime().compareTo(auth.maxTokenLifetime()) > 0) {
            throw new IllegalStateException("cairn.tenant.tokens.access-lifetime exceeds cairn.auth.max-token-lifetime");
        }
    }

    /** Makes sure a key exists, rotates when due, and reloads; runs at start and periodically. */
    @Scheduled(initialDelayString = "${cairn.tenant.tokens.key-refresh-interval:30s}", fixedDelayString = "${cairn.tenant.tokens.key-refresh-interval:30s}")
    public void maintain() {
        transactions.executeWithoutResult(status -> {
            lock();
            Instant now = clock.instant();
            List<Map<String, Object>> signing = jdbc.sql("SELECT kid, active_from FROM signing_keys WHERE retired_at IS NULL ORDER BY active_from DESC")
                    .query().listOfRows();
            if (signing.isEmpty()) {
                create(now);
                log.info("Created the first token signing key");
            } else {
                Instant newest = ((Timestamp) signing.get(0).get("active_from")).toInstant();
                if (!newest.isAfter(now) && Duration.between(newest, now).compareTo(tokens.keyRotationPeriod()) >= 0) {
                    Instant from = now.plus(tokens.keyOverlap());
                    create(from);
                    log.info("Rotated the token signing key; the new key signs from {}", from);
                }
            }
        });
        reload();
    }

    /**
     * Publishes a new key that starts signing after the overlap period, unless one is already
     * waiting to start.
     */
    public PublishedKey rotate() {
        PublishedKey next = transactions.execute(status -> {
            lock();
            Instant now = clock.instant();
            List<PublishedKey> pending = jdbc.sql("SELECT kid, public_key, active_from, retired_at, published_until FROM signing_keys "
                    + "WHERE active_from > :now ORDER BY active_from DESC").param("now", Timestamp.from(now)).query(this::published).list();
            return pending.isEmpty() ? create(now.plus(tokens.keyOverlap())) : pending.get(0);
        });
        reload();
        return next;
    }

    private PublishedKey create(Instant activeFrom) {
        String kid = UUID.randomUUID().toString();
        byte[] privateKey = Ed25519.generatePrivateKey();
        byte[] publicKey = Ed25519.publicKey(privateKey);
        byte[] ciphertext = AesGcm.encrypt(keyEncryptionKey, privateKey, kid.getBytes(StandardCharsets.UTF_8));
        java.util.Arrays.fill(privateKey, (byte) 0);
        Instant retireOthersAt = activeFrom;
        Instant publishOthersUntil = activeFrom.plus(auth.maxTokenLifetime()).plus(auth.clockSkew()).plus(PUBLISH_MARGIN);
        jdbc.sql("UPDATE signing_keys SET retired_at = :retire, published_until = :until WHERE retired_at IS NULL")
                .param("retire", Timestamp.from(retireOthersAt)).param("until", Timestamp.from(publishOthersUntil)).update();
        jdbc.sql("INSERT INTO signing_keys (kid, algorithm, public_key, private_key_ciphertext, created_at, active_from) "
                        + "VALUES (:kid, :alg, :pub, :priv, :created, :from)")
                .param("kid", kid).param("alg", Jws.ALGORITHM).param("pub", publicKey).param("priv", ciphertext)
                .param("created", Timestamp.from(clock.instant())).param("from", Timestamp.from(activeFrom)).update();
        return new PublishedKey(kid, publicKey, activeFrom, null, null);
    }

    private void lock() {
        jdbc.sql("SELECT pg_advisory_xact_lock(:key)").param("key", ADVISORY_LOCK).query().singleValue();
    }

    /** Reads every published key, and decrypts those that may still sign. */
    public void reload() {
        Instant now = clock.instant();
        List<PublishedKey> published = new ArrayList<>();
        Map<String, byte[]> privateKeys = new HashMap<>();
        jdbc.sql("SELECT kid, public_key, private_key_ciphertext, active_from, retired_at, published_until FROM signing_keys "
                        + "WHERE published_until IS NULL OR published_until > :now")
                .param("now", Timestamp.from(now))
                .query((rs, row) -> {
                    PublishedKey key = published(rs, row);
                    published.add(key);
                    if (key.retiredAt() == null || key.retiredAt().isAfter(now)) {
                        privateKeys.put(key.kid(), AesGcm.decrypt(keyEncryptionKey, rs.getBytes("private_key_ciphertext"),
                                key.kid().getBytes(StandardCharsets.UTF_8)));
                    }
                    return key;
                }).list();
        published.sort(Comparator.comparing(PublishedKey::activeFrom));
        loaded = new Loaded(List.copyOf(published), Map.copyOf(privateKeys));
        lastReload = now;
    }

    private PublishedKey published(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        Timestamp retired = rs.getTimestamp("retired_at");
        Timestamp until = rs.getTimestamp("published_until");
        return new PublishedKey(rs.getString("kid"), rs.getBytes("public_key"), rs.getTimestamp("active_from").toInstant(),
                retired == null ? null : retired.toInstant(), until == null ? null : until.toInstant());
    }

    /** The key that signs now: the newest one whose activation has come and that is not retired. */
    public SigningKey current() {
        Instant now = clock.instant();
        Loaded snapshot = loaded;
        PublishedKey best = null;
        for (PublishedKey key : snapshot.published()) {
            boolean active = !key.activeFrom().isAfter(now) && (key.retiredAt() == null || key.retiredAt().isAfter(now));
            if (active && snapshot.privateKeys().containsKey(key.kid()) && (best == null || key.activeFrom().isAfter(best.activeFrom()))) {
                best = key;
            }
        }
        if (best == null) {
            reload();
            throw new IllegalStateException("no signing key is active; keys are maintained every " + tokens.keyRefreshInterval());
        }
        return new SigningKey(best.kid(), snapshot.privateKeys().get(best.kid()));
    }

    /** A private key with its id; never logged, never serialised. */
    public record SigningKey(String kid, byte[] privateKey) {
        @Override
        public String toString() {
            return "SigningKey[kid=" + kid + "]";
        }
    }

    @Override
    public byte[] publicKey(String keyId) {
        byte[] key = find(keyId);
        if (key == null && clock.instant().isAfter(lastReload.plusSeconds(2))) {
            reload();
            key = find(keyId);
        }
        return key;
    }

    private byte[] find(String keyId) {
        for (PublishedKey key : loaded.published()) {
            if (key.kid().equals(keyId)) {
                return key.publicKey();
            }
        }
        return null;
    }

    /** The JWKS document (RFC 7517, keys as RFC 8037 OKP). */
    public Map<String, Object> jwks() {
        List<Map<String, Object>> keys = new ArrayList<>();
        for (PublishedKey key : loaded.published()) {
            Map<String, Object> jwk = new LinkedHashMap<>();
            jwk.put("kty", "OKP");
            jwk.put("crv", "Ed25519");
            jwk.put("alg", Jws.ALGORITHM);
            jwk.put("use", "sig");
            jwk.put("kid", key.kid());
            jwk.put("x", Jws.encode(key.publicKey()));
            keys.add(jwk);
        }
        return Map.of("keys", keys);
    }

    public List<PublishedKey> published() {
        return loaded.published();
    }
}
