package dev.cairn.tenant.revocation;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;

import dev.cairn.platform.auth.RevocationList;

/**
 * The revocation list as the tenant service, its only writer, keeps it: each entry is written to
 * PostgreSQL (in the caller's transaction) before Redis, and whenever Redis has lost the
 * {@link RevocationList#RESTORED} marker (it restarted empty, or was flushed) a replica copies
 * every entry still in force back into Redis and sets the marker, in one MULTI/EXEC, so that the
 * marker never stands in a Redis that lacks an entry. Until then every service treats the list as
 * unreadable (refused with 503 by default), never as empty. Any number of replicas may refill at
 * once: each writes the same entries.
 */
public class DurableRevocationList extends RevocationList {

    private static final Logger log = LoggerFactory.getLogger(DurableRevocationList.class);

    private final StringRedisTemplate redis;
    private final JdbcClient jdbc;
    private final Clock clock;

    public DurableRevocationList(StringRedisTemplate redis, JdbcClient jdbc, Duration maxTokenLifetime, Clock clock) {
        super(redis, maxTokenLifetime);
        this.redis = redis;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    protected void write(String key, String value, Duration lifetime) {
        Instant expiresAt = clock.instant().plus(lifetime);
        // a later revocation of a subject covers more tokens: keep the larger instant
        jdbc.sql("INSERT INTO revocations (redis_key, value, expires_at) VALUES (:key, :value, :expires) ON CONFLICT (redis_key) DO UPDATE "
                        + "SET value = CASE WHEN revocations.redis_key LIKE 'cairn:revoked:sub:%' "
                        + "THEN GREATEST(revocations.value::bigint, EXCLUDED.value::bigint)::text ELSE EXCLUDED.value END, "
                        + "expires_at = GREATEST(revocations.expires_at, EXCLUDED.expires_at)")
                .param("key", key).param("value", value).param("expires", Timestamp.from(expiresAt)).update();
        super.write(key, value, lifetime);
    }

    /** Fills Redis again when it has lost the marker; every second, on every replica (cheap: one EXISTS). */
    @Scheduled(fixedDelay = 1, timeUnit = TimeUnit.SECONDS)
    public void restoreIfLost() {
        try {
            if (Boolean.TRUE.equals(redis.hasKey(RESTORED))) {
                return;
            }
            restore();
        } catch (DataAccessException e) {
            log.debug("Revocation list not checked: {}", e.getMessage());
        }
    }

    /** Copies every entry in force into Redis, then sets the marker, all in one transaction; answers the entries copied. */
    public int restore() {
        Instant now = clock.instant();
        jdbc.sql("DELETE FROM revocations WHERE expires_at < :now").param("now", Timestamp.from(now)).update();
        record Entry(String key, String value, Instant expiresAt) {
        }
        List<Entry> entries = jdbc.sql("SELECT redis_key, value, expires_at FROM revocations")
                .query((rs, row) -> new Entry(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant())).list();
        List<Object> results = redis.execute(new SessionCallback<List<Object>>() {
            @Override
            @SuppressWarnings({"unchecked", "rawtypes"})
            public List<Object> execute(RedisOperations operations) {
                operations.multi();
                for (Entry entry : entries) {
                    Duration left = Duration.between(now, entry.expiresAt());
                    if (!left.isNegative() && !left.isZero()) {
                        operations.opsForValue().set(entry.key(), entry.value(), left);
                    }
                }
                operations.opsForValue().set(RESTORED, now.toString());
                return operations.exec();
            }
        });
        if (results == null || results.isEmpty()) {
            throw new IllegalStateException("Redis discarded the revocation list's refill");
        }
        log.info("Revocation list restored in Redis: {} entries in force", entries.size());
        return entries.size();
    }
}
