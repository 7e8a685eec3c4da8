package dev.cairn.gateway.upstream;

import java.net.ConnectException;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.ReactiveLoadBalancerClientFilter;
import org.springframework.cloud.gateway.support.NotFoundException;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_SCHEME_PREFIX_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.addOriginalRequestUrl;

/**
 * Resolves {@code lb://service} and {@code lb:ws://service} route URIs to one ready replica,
 * round robin. A replica that refuses a connection is taken out of rotation at once (passive
 * health) and the request goes to another replica, whatever its method: a refused connection
 * means the replica never saw it. Requests that fail later are retried only when idempotent
 * (the Retry filter in application.yml), also on a replica they have not tried yet. With no
 * ready replica the request fails fast with 503.
 */
public class LoadBalancingFilter implements GlobalFilter, Ordered {

    static final String TRIED_ATTR = LoadBalancingFilter.class.getName() + ".tried";
    /** Replicas one request may try when connections are refused. */
    static final int MAX_CONNECT_ATTEMPTS = 3;

    private final UpstreamRegistry registry;

    public LoadBalancingFilter(UpstreamRegistry registry) {
        this.registry = registry;
    }

    @Override
    public int getOrder() {
        return ReactiveLoadBalancerClientFilter.LOAD_BALANCER_CLIENT_FILTER_ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        URI url = exchange.getAttribute(GATEWAY_REQUEST_URL_ATTR);
        String schemePrefix = exchange.getAttribute(GATEWAY_SCHEME_PREFIX_ATTR);
        if (url == null || (!"lb".equals(url.getScheme()) && !"lb".equals(schemePrefix))) {
            return chain.filter(exchange);
        }
        addOriginalRequestUrl(exchange, url);
        return route(exchange, chain, url, schemePrefix, 0);
    }

    private Mono<Void> route(ServerWebExchange exchange, GatewayFilterChain chain, URI url, String schemePrefix, int attempt) {
        String service = url.getHost();
        @SuppressWarnings("unchecked")
        Set<URI> tried = (Set<URI>) exchange.getAttributes().computeIfAbsent(TRIED_ATTR, key -> ConcurrentHashMap.newKeySet());
        Replica replica = registry.choose(service, tried);
        if (replica == null && !tried.isEmpty()) {
            replica = registry.choose(service, Set.of());
        }
        if (replica == null) {
            return Mono.error(NotFoundException.create(false, "No ready replica of " + service));
        }
        tried.add(replica.uri());

        URI target = replica.uri();
        String scheme = target.getScheme();
        if ("lb".equals(schemePrefix)) {
            // lb:ws://service keeps the WebSocket scheme, secured when the replica is
            scheme = "https".equals(scheme) ? "wss" : url.getScheme();
        }
        URI requestUrl = UriComponentsBuilder.fromUri(url)
                .scheme(scheme)
                .host(target.getHost())
                .port(target.getPort())
                .build(true)
                .toUri();
        exchange.getAttributes().put(GATEWAY_REQUEST_URL_ATTR, requestUrl);

        Replica chosen = replica;
        return chain.filter(exchange).onErrorResume(error -> {
            if (!isConnectFailure(error)) {
                return Mono.error(error);
            }
            registry.requestFailed(chosen, error);
            if (attempt >= MAX_CONNECT_ATTEMPTS - 1 || exchange.getResponse().isCommitted()) {
                return Mono.error(error);
            }
            ServerWebExchangeUtils.reset(exchange);
            return route(exchange, chain, url, schemePrefix, attempt + 1);
        });
    }

    /** Refused or timed-out connects mean the replica cannot serve; other errors may be the request's. */
    static boolean isConnectFailure(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }
}
