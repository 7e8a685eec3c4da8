package dev.cairn.gateway.ratelimit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import dev.cairn.gateway.edge.EventLoops;
import dev.cairn.gateway.security.EdgeAuthenticationFilter;
import dev.cairn.platform.auth.Caller;
import dev.cairn.platform.problem.ProblemJson;
import dev.cairn.platform.web.PathPatterns;

import org.springframework.core.Ordered;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Applies the rate-limit policies that match a request, all in one Redis round trip (see
 * {@code ratelimit/gcra.lua}). Allowed requests carry {@code X-RateLimit-Limit},
 * {@code -Remaining} and {@code -Reset} of the tightest policy; refused ones get 429 with
 * {@code Retry-After}. When Redis cannot answer, each policy's {@code on-redis-failure} decides;
 * the gateway never falls back to counting on its own.
 */
public class RateLimitFilter implements WebFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger(RateLimitFilter.class);
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> SCRIPT = RedisScript.of(new ClassPathResource("ratelimit/gcra.lua"), List.class);

    private record Applied(String name, RateLimitProperties.Policy policy, String key) {
    }

    private record Compiled(String name, RateLimitProperties.Policy policy, PathPatterns paths, PathPatterns except) {
    }

    private final ReactiveStringRedisTemplate redis;
    private final RateLimitProperties properties;
    private final ClientAddress clients;
    private final List<Compiled> policies;
    private final AtomicLong unchecked = new AtomicLong();

    public RateLimitFilter(ReactiveStringRedisTemplate redis, RateLimitProperties properties) {
        this.redis = redis;
        this.properties = properties;
        this.clients = new ClientAddress(properties.trustedProxies());
        this.policies = properties.policies().entrySet().stream()
                .map(e -> new Compiled(e.getKey(), e.getValue(), new PathPatterns(e.getValue().paths()),
                        new PathPatterns(e.getValue().except()))).toList();
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 30;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!properties.enabled()) {
            return chain.filter(exchange);
        }
        List<Applied> applied = applicable(exchange);
        if (applied.isEmpty()) {
            return chain.filter(exchange);
        }
        List<String> keys = new ArrayList<>(applied.size());
        List<String> args = new ArrayList<>(applied.size() * 2);
        for (Applied a : applied) {
            keys.add(a.key());
            long periodMicros = a.policy().period().toNanos() / 1000;
            args.add(Long.toString(Math.max(1, periodMicros / a.policy().limit())));
            args.add(Integer.toString(a.policy().limit()));
        }
        return redis.execute(SCRIPT, keys, args).next()
                .map(reply -> decide(exchange, applied, reply))
                .onErrorResume(error -> redisFailed(applied, error))
                .publishOn(EventLoops.of(exchange))
                .flatMap(retryAfter -> retryAfter == 0 ? chain.filter(exchange)
                        : write(exchange, HttpStatus.TOO_MANY_REQUESTS, "rate-limited",
                                "Too many requests; try again in " + retryAfter + " s", Map.of("retryAfter", retryAfter)));
    }

    private List<Applied> applicable(ServerWebExchange exchange) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        Caller caller = exchange.getAttribute(EdgeAuthenticationFilter.CALLER_ATTRIBUTE);
        String client = null;
        List<Applied> applied = new ArrayList<>();
        for (Compiled compiled : policies) {
            RateLimitProperties.Policy policy = compiled.policy();
            if (!compiled.paths().matches(path) || compiled.except().matches(path)) {
                continue;
            }
            String key;
            if (policy.key() == RateLimitProperties.Key.CALLER) {
                if (caller == null) {
                    continue;
                }
                key = "caller:" + caller.subject();
            } else {
                if (client == null) {
                    client = clients.of(exchange.getRequest());
                }
                key = "ip:" + client;
            }
            applied.add(new Applied(compiled.name(), policy, "cairn:rl:" + compiled.name() + ":" + key));
        }
        return applied;
    }

    /** Sets the rate-limit headers; @return 0 when the request may go on, else seconds until it may be retried */
    private long decide(ServerWebExchange exchange, List<Applied> applied, List<?> reply) {
        boolean allowed = number(reply.get(0)) == 1;
        long retryAfterMicros = number(reply.get(1));
        int tightest = 0;
        long tightestRemaining = Long.MAX_VALUE;
        for (int i = 0; i < applied.size(); i++) {
            long remaining = number(reply.get(2 + 2 * i));
            if (remaining < tightestRemaining) {
                tightestRemaining = remaining;
                tightest = i;
            }
        }
        HttpHeaders headers = exchange.getResponse().getHeaders();
        headers.set("X-RateLimit-Limit", Integer.toString(applied.get(tightest).policy().limit()));
        headers.set("X-RateLimit-Remaining", Long.toString(allowed ? tightestRemaining : 0));
        headers.set("X-RateLimit-Reset", Long.toString(ceilSeconds(number(reply.get(3 + 2 * tightest)))));
        if (allowed) {
            return 0;
        }
        long retryAfter = Math.max(1, ceilSeconds(retryAfterMicros));
        headers.set("Retry-After", Long.toString(retryAfter));
        return retryAfter;
    }

    private Mono<Long> redisFailed(List<Applied> applied, Throwable error) {
        boolean deny = applied.stream().anyMatch(a -> a.policy().onRedisFailure() == RateLimitProperties.OnFailure.DENY);
        if (unchecked.incrementAndGet() % 1000 == 1) {
            log.warn("Rate limits cannot be counted ({}): {} (total so far: {})", error.getMessage(),
                    deny ? "refusing requests of deny policies" : "letting requests through", unchecked.get());
        }
        return deny ? Mono.error(new RateLimitUnavailableException()) : Mono.just(0L);
    }

    private static Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String type, String detail, Map<String, ?> extra) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        byte[] body = ProblemJson.render(status, type, status.getReasonPhrase(), detail, extra).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(value));
    }

    private static long ceilSeconds(long micros) {
        return (micros + 999_999) / 1_000_000;
    }

    /** Redis is down and a policy of this request says deny: 503, rendered by the error handler. */
    static final class RateLimitUnavailableException extends org.springframework.web.server.ResponseStatusException {
        RateLimitUnavailableException() {
            super(HttpStatus.SERVICE_UNAVAILABLE, "Rate limits cannot be checked right now; try again shortly");
        }
    }
}
