package dev.cairn.platform.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Revoked access tokens, kept in Redis so that every replica of every service sees a
 * revocation as soon as it is written: the check runs on each request (one MGET), so the bound
 * is the Redis round trip, not a cache lifetime.
 *
 * <p>Three kinds of entry, each expiring when no token it could match is still valid:
 * <ul>
 *   <li>a token ({@code jti}): logout, RFC 7009 revocation;</li>
 *   <li>a session ({@code sid}): every token of one login, e.g. when its refresh token is replayed;</li>
 *   <li>a subject: every token issued to a user up to an instant (user disabled, password changed).</li>
 * </ul>
 *
 * <p>Redis holds the copy that requests read, not the record: the tenant service, which writes
 * every revocation, keeps them in PostgreSQL too, and fills a Redis that restarted empty again
 * before setting {@link #RESTORED}. Until that marker is there the list is incomplete, and a
 * token is treated as when Redis cannot be read at all; a revoked token never comes back to life.
 */
public class RevocationList {

    static final String PREFIX = "cairn:revoked:";
    /** Set once Redis holds every revocation still in force; absent after Redis restarted empty, until the tenant service refills it. */
    public static final String RESTORED = PREFIX + "restored";

    private final StringRedisTemplate redis;
    private final Duration maxTokenLifetime;

    public RevocationList(StringRedisTemplate redis, Duration maxTokenLifetime) {
        this.redis = redis;
        this.maxTokenLifetime = maxTokenLifetime;
    }

    /**
     * @throws org.springframework.dao.DataAccessException when Redis cannot answer; the caller
     *         decides whether that denies the request ({@link AuthProperties.Revocation})
     */
    public boolean isRevoked(Caller caller) {
        List<String> values = redis.opsForValue().multiGet(keysFor(caller));
        if (values == null) {
            throw new IllegalStateException("no answer from Redis");
        }
        return revoked(caller, values);
    }

    /** The entries that could revoke this caller's token, and the {@link #RESTORED} marker, in the order {@link #revoked} expects. */
    public static List<String> keysFor(Caller caller) {
        return Arrays.asList(PREFIX + "jti:" + caller.tokenId(),
                caller.sessionId() != null ? PREFIX + "sid:" + caller.sessionId() : PREFIX + "sid:-",
                PREFIX + "sub:" + caller.subject(), RESTORED);
    }

    /**
     * Whether the values read for {@link #keysFor} revoke the token (null values: absent entries).
     *
     * @throws IncompleteException when Redis has restarted empty and the list has not been filled again yet
     */
    public static boolean revoked(Caller caller, List<String> values) {
        if (values.get(3) == null) {
            throw new IncompleteException();
        }
        if (values.get(0) != null || (caller.sessionId() != null && values.get(1) != null)) {
            return true;
        }
        String subjectRevokedAt = values.get(2);
        return subjectRevokedAt != null && caller.issuedAt().getEpochSecond() <= Long.parseLong(subjectRevokedAt);
    }

    public void revokeToken(String tokenId, Instant expiresAt) {
        Duration remaining = Duration.between(Instant.now(), expiresAt).plusSeconds(60);
        if (!remaining.isNegative()) {
            write(PREFIX + "jti:" + tokenId, "1", remaining);
        }
    }

    public void revokeSession(String sessionId) {
        write(PREFIX + "sid:" + sessionId, "1", maxTokenLifetime.plusSeconds(60));
    }

    public void revokeSubject(String subject, Instant upTo) {
        write(PREFIX + "sub:" + subject, Long.toString(upTo.getEpochSecond()), maxTokenLifetime.plusSeconds(60));
    }

    /** Stores one entry for {@code lifetime}; a writer that keeps a durable record of revocations writes it there first. */
    protected void write(String key, String value, Duration lifetime) {
        redis.opsForValue().set(key, value, lifetime);
    }

    /** Redis restarted empty and the tenant service has not filled the list again yet: no token can be checked. */
    public static final class IncompleteException extends IllegalStateException {
        public IncompleteException() {
            super("the revocation list is being restored after Redis restarted");
        }
    }
}
