package dev.cairn.platform.auth;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WebSocketBearerTest {

    @Test
    void theTokenFollowsTheCairnBearerProtocol() {
        assertThat(WebSocketBearer.token(List.of("cairn.bearer, eyJ.abc.def"))).isEqualTo("eyJ.abc.def");
        assertThat(WebSocketBearer.token(List.of("chat", "cairn.bearer,eyJ.x.y"))).isEqualTo("eyJ.x.y");
        assertThat(WebSocketBearer.token(List.of("chat, eyJ.abc.def"))).isNull();
        assertThat(WebSocketBearer.token(List.of("cairn.bearer"))).isNull();
        assertThat(WebSocketBearer.token(null)).isNull();
    }

    @Test
    void aRealAuthorizationHeaderWins() {
        assertThat(WebSocketBearer.authorization("Bearer header-token", List.of("cairn.bearer, protocol-token"))).isEqualTo("Bearer header-token");
        assertThat(WebSocketBearer.authorization(null, List.of("cairn.bearer, protocol-token"))).isEqualTo("Bearer protocol-token");
        assertThat(WebSocketBearer.authorization(null, List.of())).isNull();
    }
}
