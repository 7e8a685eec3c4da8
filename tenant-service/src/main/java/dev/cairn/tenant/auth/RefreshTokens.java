package dev.cairn.tenant.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Opaque refresh tokens ({@code rt_} + 256 random bits), stored as SHA-256 hashes. Each token
 * can be used once: {@link #consume} marks it used in the same statement that checks it, so two
 * replicas receiving it at the same moment cannot both succeed.
 */
@Repository
public class RefreshTokens {

    public static final String PREFIX = "rt_";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The state of a stored token, looked up by its hash. */
    public record Stored(UUID id, UUID familyId, UUID userId, Instant expiresAt, Instant usedAt, Instant revokedAt) {
    }

    private final JdbcClient jdbc;

    public RefreshTokens(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return the token to hand to the client (only its hash is stored) */
    public String issue(UUID familyId, UUID userId, Instant now, Instant expiresAt) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        jdbc.sql("INSERT INTO refresh_tokens (id, token_hash, family_id, user_id, issued_at, expires_at) "
                        + "VALUES (:id, :hash, :family, :user, :issued, :expires)")
                .param("id", UUID.randomUUID()).param("hash", hash(token)).param("family", familyId).param("user", userId)
                .param("issued", Timestamp.from(now)).param("expires", Timestamp.from(expiresAt)).update();
        return token;
    }

    /** Marks the token used if it is valid and unused; empty when it is not (then see {@link #find}). */
    public Optional<Stored> consume(String token, Instant now) {
        return jdbc.sql("UPDATE refresh_tokens SET used_at = :now WHERE token_hash = :hash AND used_at IS NULL "
                        + "AND revoked_at IS NULL AND expires_at > :now RETURNING id, family_id, user_id, expires_at, used_at, revoked_at")
                .param("now", Timestamp.from(now)).param("hash", hash(token))
                .query(RefreshTokens::map).optional();
    }

    public Optional<Stored> find(String token) {
        return jdbc.sql("SELECT id, family_id, user_id, expires_at, used_at, revoked_at FROM refresh_tokens WHERE token_hash = :hash")
                .param("hash", hash(token)).query(RefreshTokens::map).optional();
    }

    /** Revokes every token of a login session. */
    public void revokeFamily(UUID familyId, Instant now) {
        jdbc.sql("UPDATE refresh_tokens SET revoked_at = :now WHERE family_id = :family AND revoked_at IS NULL")
                .param("now", Timestamp.from(now)).param("family", familyId).update();
    }

    /** Revokes every session of a user; returns the sessions that were still open. */
    public List<UUID> revokeUser(UUID userId, Instant now) {
        return jdbc.sql("UPDATE refresh_tokens SET revoked_at = :now WHERE user_id = :user AND revoked_at IS NULL RETURNING family_id")
                .param("now", Timestamp.from(now)).param("user", userId).query(UUID.class).list().stream().distinct().toList();
    }

    private static Stored map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        Timestamp used = rs.getTimestamp("used_at");
        Timestamp revoked = rs.getTimestamp("revoked_at");
        return new Stored(rs.getObject("id", UUID.class), rs.getObject("family_id", UUID.class), rs.getObject("user_id", UUID.class),
                rs.getTimestamp("expires_at").toInstant(), used == null ? null : used.toInstant(), revoked == null ? null : revoked.toInstant());
    }

    static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
