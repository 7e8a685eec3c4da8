package dev.cairn.gateway.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Cluster-wide rate limits ({@code cairn.gateway.rate-limit.*}), counted in Redis so that any
 * number of gateways share one budget per key.
 *
 * @param enabled        rate limiting at all
 * @param trustedProxies addresses (or CIDR ranges) of the proxies in front of the gateway;
 *                       {@code X-Forwarded-For} is believed only from them
 * @param policies       by name; a request counts against every policy whose paths match it
 */
@ConfigurationProperties("cairn.gateway.rate-limit")
public record RateLimitProperties(Boolean enabled, List<String> trustedProxies, Map<String, Policy> policies) {

    public RateLimitProperties {
        enabled = enabled == null || enabled;
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
        policies = policies == null ? Map.of() : Map.copyOf(policies);
    }

    public enum Key { IP, CALLER }

    public enum OnFailure { ALLOW, DENY }

    /**
     * @param paths          path patterns the policy applies to ({@code /**} for all)
     * @param except         path patterns among those that it does not apply to (traffic
     *                       with a policy of its own, such as other installations' on /peer/**)
     * @param key            per client address, or per authenticated caller (requests without
     *                       a token do not count against a caller policy)
     * @param limit          requests allowed per period (also the largest burst)
     * @param period         the period
     * @param onRedisFailure when Redis cannot be reached: {@code allow} (logged and counted) or
     *                       {@code deny} (503); never a per-gateway count
     */
    public record Policy(List<String> paths, List<String> except, Key key, Integer limit, Duration period, OnFailure onRedisFailure) {
        public Policy {
            paths = paths == null ? List.of("/**") : List.copyOf(paths);
            except = except == null ? List.of() : List.copyOf(except);
            key = key == null ? Key.IP : key;
            if (limit == null || limit < 1) {
                throw new IllegalArgumentException("a rate-limit policy needs a limit of at least 1");
            }
            period = period == null ? Duration.ofMinutes(1) : period;
            onRedisFailure = onRedisFailure == null ? OnFailure.ALLOW : onRedisFailure;
        }
    }
}
