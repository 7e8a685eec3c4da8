package dev.cairn.gateway.edge;

import reactor.core.publisher.Mono;

import dev.cairn.platform.instance.InstanceIdentity;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Adds {@value #HEADER} to every response the gateway sends, its own errors included. The
 * answering service's {@code X-Cairn-Instance} passes through untouched.
 */
public class GatewayInstanceHeaderFilter implements WebFilter, Ordered {

    public static final String HEADER = "X-Cairn-Gateway";

    private final InstanceIdentity identity;

    public GatewayInstanceHeaderFilter(InstanceIdentity identity) {
        this.identity = identity;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        exchange.getResponse().beforeCommit(() -> {
            exchange.getResponse().getHeaders().set(HEADER, identity.id());
            return Mono.empty();
        });
        return chain.filter(exchange);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
