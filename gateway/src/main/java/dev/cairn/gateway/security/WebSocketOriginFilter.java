package dev.cairn.gateway.security;

import java.util.List;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Refuses a WebSocket handshake (on any path: routes match decoded paths, so a prefix test on
 * the raw one could be evaded) whose {@code Origin} is neither the origin
 * the request was sent to (the console, served from the same host) nor one of
 * {@code cairn.gateway.security.websocket-origins}, so that another site open in a user's
 * browser cannot open a socket in their name. Clients that send no {@code Origin} (programs, not
 * browsers) are not affected. The check is made here because the gateway does not pass a
 * browser's {@code Origin} on to the service it routes the socket to.
 */
public class WebSocketOriginFilter implements WebFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger(WebSocketOriginFilter.class);

    private final List<String> allowed;

    public WebSocketOriginFilter(List<String> allowed) {
        this.allowed = allowed.stream().map(WebSocketOriginFilter::normalise).toList();
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 15;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String origin = request.getHeaders().getOrigin();
        if (origin == null || !"websocket".equalsIgnoreCase(request.getHeaders().getUpgrade())) {
            return chain.filter(exchange);
        }
        String normalised = normalise(origin);
        if (normalised.equals(ownOrigin(request)) || allowed.contains(normalised)) {
            return chain.filter(exchange);
        }
        log.warn("Refused a WebSocket to {} from origin {}", request.getPath().value(), origin.replaceAll("[\\r\\n]", "_"));
        return EdgeAuthenticationFilter.problem(exchange, HttpStatus.FORBIDDEN, "origin-not-allowed",
                "WebSockets may be opened only from the console's origin or an origin in cairn.gateway.security.websocket-origins");
    }

    /** The origin the browser sent the request to: its Host, with the scheme nginx received it on. */
    static String ownOrigin(ServerHttpRequest request) {
        HttpHeaders headers = request.getHeaders();
        String host = headers.getFirst(HttpHeaders.HOST);
        if (host == null) {
            return "";
        }
        String proto = headers.getFirst("X-Forwarded-Proto");
        String scheme = proto != null ? proto.split(",")[0].trim() : request.getURI().getScheme();
        if ("ws".equalsIgnoreCase(scheme)) {
            scheme = "http";
        } else if ("wss".equalsIgnoreCase(scheme)) {
            scheme = "https";
        }
        return normalise(scheme + "://" + host);
    }

    /** Lower case, without a default port, without a trailing slash. */
    static String normalise(String origin) {
        String text = origin.trim().toLowerCase(Locale.ROOT);
        if (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.startsWith("http://") && text.endsWith(":80")) {
            text = text.substring(0, text.length() - 3);
        } else if (text.startsWith("https://") && text.endsWith(":443")) {
            text = text.substring(0, text.length() - 4);
        }
        return text;
    }
}
