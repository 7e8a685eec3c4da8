package dev.cairn.gateway.security;

import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

class WebSocketOriginFilterTest {

    private final WebSocketOriginFilter filter = new WebSocketOriginFilter(List.of("https://console.example.org/"));

    /** Whether the handshake reached the next filter (the route); otherwise the status it got. */
    private Object handshake(MockServerHttpRequest.BaseBuilder<?> request) {
        MockServerWebExchange exchange = MockServerWebExchange.from(request.header("Upgrade", "websocket").header("Connection", "Upgrade"));
        boolean[] passed = {false};
        filter.filter(exchange, e -> {
            passed[0] = true;
            return Mono.empty();
        }).block();
        return passed[0] ? "passed" : exchange.getResponse().getStatusCode();
    }

    @Test
    void theOriginTheRequestWasSentToIsAllowed() {
        assertThat(handshake(MockServerHttpRequest.get("http://127.0.0.1:40001/ws/blueprints").header("Host", "127.0.0.1:18080")
                .header("Origin", "http://127.0.0.1:18080"))).isEqualTo("passed");
        // behind TLS at nginx: the scheme is the one nginx received
        assertThat(handshake(MockServerHttpRequest.get("http://10.0.0.5:8080/ws/registers").header("Host", "cairn.example.org")
                .header("X-Forwarded-Proto", "https").header("Origin", "https://cairn.example.org"))).isEqualTo("passed");
        assertThat(handshake(MockServerHttpRequest.get("http://10.0.0.5:8080/ws/registers").header("Host", "cairn.example.org")
                .header("X-Forwarded-Proto", "https").header("Origin", "http://cairn.example.org"))).isEqualTo(HttpStatus.FORBIDDEN);
    }

    @Test
    void listedOriginsAreAllowedAndOthersRefused() {
        assertThat(handshake(MockServerHttpRequest.get("http://127.0.0.1:40001/ws/blueprints").header("Host", "127.0.0.1:18080")
                .header("Origin", "https://Console.example.org:443"))).isEqualTo("passed");
        assertThat(handshake(MockServerHttpRequest.get("http://127.0.0.1:40001/ws/blueprints").header("Host", "127.0.0.1:18080")
                .header("Origin", "http://evil.example"))).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(handshake(MockServerHttpRequest.get("http://127.0.0.1:40001/ws/blueprints").header("Host", "127.0.0.1:18080")
                .header("Origin", "http://127.0.0.1:18081"))).as("another port is another origin").isEqualTo(HttpStatus.FORBIDDEN);
        for (String disguised : java.util.List.of("/ws;x/blueprints", "/%77s/registers", "//ws/registers")) {
            assertThat(handshake(MockServerHttpRequest.get("http://127.0.0.1:40001" + disguised).header("Host", "127.0.0.1:18080")
                    .header("Origin", "http://evil.example"))).as(disguised).isEqualTo(HttpStatus.FORBIDDEN);
        }
    }

    @Test
    void programsWithoutAnOriginAndOrdinaryRequestsAreNotConcerned() {
        assertThat(handshake(MockServerHttpRequest.get("http://127.0.0.1:40001/ws/blueprints"))).isEqualTo("passed");
        MockServerWebExchange plain = MockServerWebExchange.from(MockServerHttpRequest.get("http://127.0.0.1:40001/api/registers")
                .header("Origin", "http://evil.example"));
        boolean[] passed = {false};
        filter.filter(plain, e -> {
            passed[0] = true;
            return Mono.empty();
        }).block();
        assertThat(passed[0]).as("CORS, not this filter, governs ordinary requests").isTrue();
    }
}
