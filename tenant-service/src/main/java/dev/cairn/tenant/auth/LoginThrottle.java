package dev.cairn.tenant.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

import dev.cairn.platform.problem.ApiException;
import dev.cairn.tenant.config.TenantProperties;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpStatus;

/**
 * Progressive lockout after failed logins, counted in Redis so that every replica sees the
 * same count: after {@code freeAttempts} failures each further one locks the email for
 * {@code firstLock}, doubling up to {@code maxLock}. Emails that have no account are counted
 * and locked the same way, so the answers never tell whether an account exists. Keys hold a
 * hash of the email, not the email.
 */
public class LoginThrottle {

    private static final String PREFIX = "cairn:login:";

    private final StringRedisTemplate redis;
    private final TenantProperties.Login policy;

    public LoginThrottle(StringRedisTemplate redis, TenantProperties.Login policy) {
        this.redis = redis;
        this.policy = policy;
    }

    /** Refuses with 429 while the email is locked. */
    public void checkNotLocked(String email) {
        try {
            Long ttl = redis.getExpire(PREFIX + "lock:" + key(email));
            if (ttl != null && ttl > 0) {
                throw locked(ttl);
            }
        } catch (DataAccessException e) {
            unavailable(e);
        }
    }

    /** Counts a failure; returns the lock it caused, if any. */
    public void failed(String email) {
        String key = key(email);
        try {
            Long failures = redis.opsForValue().increment(PREFIX + "fail:" + key);
            redis.expire(PREFIX + "fail:" + key, policy.window());
            if (failures != null && failures > policy.freeAttempts()) {
                long doublings = Math.min(20, failures - policy.freeAttempts() - 1);
                Duration lock = policy.firstLock().multipliedBy(1L << doublings);
                if (lock.compareTo(policy.maxLock()) > 0) {
                    lock = policy.maxLock();
                }
                redis.opsForValue().set(PREFIX + "lock:" + key, "1", lock);
            }
        } catch (DataAccessException e) {
            unavailable(e);
        }
    }

    public void succeeded(String email) {
        try {
            redis.delete(java.util.List.of(PREFIX + "fail:" + key(email), PREFIX + "lock:" + key(email)));
        } catch (DataAccessException ignored) {
            // the count expires on its own
        }
    }

    private void unavailable(DataAccessException e) {
        if (policy.onCounterFailure() == TenantProperties.OnFailure.DENY) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "login-unavailable", "Service Unavailable",
                    "Sign-in is temporarily unavailable; try again shortly");
        }
    }

    private static ApiException locked(long seconds) {
        ApiException e = new ApiException(HttpStatus.TOO_MANY_REQUESTS, "login-locked", "Too Many Requests",
                "Too many failed sign-in attempts; try again in " + seconds + " s", Map.of("retryAfter", seconds));
        e.getHeaders().set("Retry-After", Long.toString(seconds));
        return e;
    }

    private static String key(String email) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(email.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
