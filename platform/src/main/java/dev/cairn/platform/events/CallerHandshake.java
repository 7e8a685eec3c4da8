package dev.cairn.platform.events;

import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

import dev.cairn.platform.auth.BearerTokenFilter;
import dev.cairn.platform.auth.Caller;

/**
 * Keeps the caller that the bearer-token filter found (and the token, for calls made on the
 * caller's behalf) with the WebSocket session; a handshake without one is refused.
 */
public final class CallerHandshake implements HandshakeInterceptor {

    /** The caller of a session. */
    public static Caller caller(org.springframework.web.socket.WebSocketSession session) {
        return (Caller) session.getAttributes().get(BearerTokenFilter.CALLER_ATTRIBUTE);
    }

    /** The bearer token the session was opened with. */
    public static String token(org.springframework.web.socket.WebSocketSession session) {
        return (String) session.getAttributes().get(BearerTokenFilter.TOKEN_ATTRIBUTE);
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
            Map<String, Object> attributes) {
        if (request instanceof ServletServerHttpRequest servlet) {
            HttpServletRequest http = servlet.getServletRequest();
            Object caller = http.getAttribute(BearerTokenFilter.CALLER_ATTRIBUTE);
            if (caller != null) {
                attributes.put(BearerTokenFilter.CALLER_ATTRIBUTE, caller);
                attributes.put(BearerTokenFilter.TOKEN_ATTRIBUTE, http.getAttribute(BearerTokenFilter.TOKEN_ATTRIBUTE));
                return true;
            }
        }
        return false;
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler, Exception exception) {
    }
}
