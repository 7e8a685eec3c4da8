package dev.cairn.gateway.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Cluster-wide rate limits ({@code cairn.gateway.rate-limit.*}), counted in Redis so that any
 * number of gateways share one budget per key.
 *
 * @param enabled        rate limiting at all
 * @param trustedProxies addresses (or CIDR ranges) of the proxies in front of the gateway;
 *                       {@code X-Forwarded-For} is believed only from them
 * @param policies       by name; a request counts against every policy whose paths match it
 */
@Validated
@ConfigurationProperties("cairn.gateway.rate-limit")
public record RateLimitProperties(@DefaultValue("true") boolean enabled, @DefaultValue List<String> trustedProxies,
        @DefaultValue Map<String, @Valid Policy> policies) {

    public RateLimitProperties {
        trustedProxies = List.copyOf(trustedProxies);
        policies = Map.copyOf(policies);
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
    public record Policy(@DefaultValue("/**") List<String> paths, @DefaultValue List<String> except, @DefaultValue("ip") Key key,
            @Min(value = 1, message = "a rate-limit policy needs a limit of at least 1") int limit, @DefaultValue("1m") Duration period,
            @DefaultValue("allow") OnFailure onRedisFailure) {
        public Policy {
            paths = List.copyOf(paths);
            except = List.copyOf(except);
        }
    }
}
