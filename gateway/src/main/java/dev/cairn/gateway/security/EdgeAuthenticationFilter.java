package dev.cairn.gateway.security;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import dev.cairn.gateway.edge.EventLoops;
import dev.cairn.platform.auth.AuthProperties;
import dev.cairn.platform.auth.Caller;
import dev.cairn.platform.auth.InvalidTokenException;
import dev.cairn.platform.auth.RevocationList;
import dev.cairn.platform.auth.TokenVerifier;
import dev.cairn.platform.auth.WebSocketBearer;
import dev.cairn.platform.problem.ProblemJson;
import dev.cairn.platform.web.PathPatterns;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Checks access tokens at the edge, so that requests without a valid, unrevoked token never
 * reach a service (which checks again). A token seen before is recognised without any I/O on
 * the event loop; a new one is verified off it, since that may fetch the JWKS.
 */
public class EdgeAuthenticationFilter implements WebFilter, Ordered {

    /** The verified caller, for the rate limiter. */
    public static final String CALLER_ATTRIBUTE = Caller.class.getName();

    private static final Logger log = LoggerFactory.getLogger(EdgeAuthenticationFilter.class);

    private final TokenVerifier verifier;
    private final ReactiveStringRedisTemplate redis;
    private final AuthProperties auth;
    private final EdgeSecurityProperties properties;
    private final PathPatterns protectedPaths;
    private final PathPatterns publicPaths;
    private final PathPatterns adminPaths;
    private final AtomicLong unchecked = new AtomicLong();

    public EdgeAuthenticationFilter(TokenVerifier verifier, ReactiveStringRedisTemplate redis, AuthProperties auth,
            EdgeSecurityProperties properties) {
        this.verifier = verifier;
        this.redis = redis;
        this.auth = auth;
        this.properties = properties;
        this.protectedPaths = new PathPatterns(properties.protectedPaths());
        this.publicPaths = new PathPatterns(properties.publicPaths());
        this.adminPaths = new PathPatterns(properties.adminPaths());
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 20;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        boolean open = !protectedPaths.matches(path) || publicPaths.matches(path);
        String header = WebSocketBearer.authorization(exchange.getRequest().getHeaders().getFirst("Authorization"),
                exchange.getRequest().getHeaders().get(WebSocketBearer.HEADER));
        if (header == null || header.isBlank()) {
            return open ? chain.filter(exchange) : unauthorized(exchange, null, "A bearer token is required");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return open ? chain.filter(exchange) : unauthorized(exchange, "invalid_request", "Only Bearer authorization is accepted");
        }
        String token = header.substring(7).trim();
        return verify(token)
                .flatMap(caller -> checkRevocation(exchange, path, caller))
                .publishOn(EventLoops.of(exchange))
                .flatMap(caller -> {
                    exchange.getAttributes().put(CALLER_ATTRIBUTE, caller);
                    return chain.filter(exchange);
                })
                .onErrorResume(InvalidTokenException.class, e -> open ? chain.filter(exchange)
                        : unauthorized(exchange, "invalid_token", "The access token is not valid: " + e.getMessage()))
                .onErrorResume(RevokedException.class, e -> unauthorized(exchange, "invalid_token", "The access token has been revoked"))
                .onErrorResume(RevocationUnavailableException.class, e -> {
                    exchange.getResponse().getHeaders().set("Retry-After", "1");
                    return problem(exchange, HttpStatus.SERVICE_UNAVAILABLE, null,
                            "Token revocation cannot be checked right now; try again shortly");
                });
    }

    private Mono<Caller> verify(String token) {
        try {
            Caller known = verifier.verifiedBefore(token);
            if (known != null) {
                return Mono.just(known);
            }
        } catch (InvalidTokenException e) {
            return Mono.error(e);
        }
        return Mono.fromCallable(() -> verifier.verify(token)).subscribeOn(Schedulers.boundedElastic());
    }

    private Mono<Caller> checkRevocation(ServerWebExchange exchange, String path, Caller caller) {
        List<String> keys = RevocationList.keysFor(caller);
        return redis.opsForValue().multiGet(keys)
                .onErrorMap(e -> !(e instanceof RevokedException), RevocationUnavailableException::new)
                .flatMap(values -> {
                    try {
                        return RevocationList.revoked(caller, values) ? Mono.<Caller>error(new RevokedException()) : Mono.just(caller);
                    } catch (RevocationList.IncompleteException e) {
                        return Mono.<Caller>error(new RevocationUnavailableException(e));
                    }
                })
                .onErrorResume(RevocationUnavailableException.class, e -> {
                    if (adminPaths.matches(path) || auth.revocation().onStoreFailure() == AuthProperties.OnFailure.DENY) {
                        return Mono.error(e);
                    }
                    if (unchecked.incrementAndGet() % 1000 == 1) {
                        log.warn("Revocation list unreadable ({}); letting verified tokens through unchecked (total so far: {})",
                                e.getCause() == null ? e.getMessage() : e.getCause().getMessage(), unchecked.get());
                    }
                    return Mono.just(caller);
                });
    }

    private static Mono<Void> unauthorized(ServerWebExchange exchange, String error, String detail) {
        exchange.getResponse().getHeaders().set("WWW-Authenticate", error == null ? "Bearer realm=\"cairn\""
                : "Bearer realm=\"cairn\", error=\"" + error + "\", error_description=\"" + detail.replace("\"", "'") + "\"");
        return problem(exchange, HttpStatus.UNAUTHORIZED, "unauthorized", detail);
    }

    static Mono<Void> problem(ServerWebExchange exchange, HttpStatus status, String type, String detail) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        byte[] body = ProblemJson.render(status, type, status.getReasonPhrase(), detail,
                Map.of("instance", exchange.getRequest().getPath().value())).getBytes(StandardCharsets.UTF_8);
        DataBuffer buffer = response.bufferFactory().wrap(body);
        return response.writeWith(Mono.just(buffer));
    }

    private static final class RevokedException extends RuntimeException {
        RevokedException() {
            super("revoked", null, false, false);
        }
    }

    private static final class RevocationUnavailableException extends RuntimeException {
        RevocationUnavailableException(Throwable cause) {
            super("revocation list unavailable", cause, false, false);
        }
    }
}
