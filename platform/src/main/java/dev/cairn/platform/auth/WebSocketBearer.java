package dev.cairn.platform.auth;

import java.util.List;

/**
 * Browsers cannot set an {@code Authorization} header on a WebSocket handshake, so a browser
 * client offers the access token as a subprotocol instead:
 * {@code new WebSocket(url, ["cairn.bearer", accessToken])}, which sends
 * {@code Sec-WebSocket-Protocol: cairn.bearer, <token>}. The server selects
 * {@link #PROTOCOL}, so the token itself is never echoed back.
 */
public final class WebSocketBearer {

    public static final String PROTOCOL = "cairn.bearer";
    public static final String HEADER = "Sec-WebSocket-Protocol";

    private WebSocketBearer() {
    }

    /** The token offered after {@code cairn.bearer} in the handshake's subprotocols, or null. */
    public static String token(List<String> protocolHeaders) {
        if (protocolHeaders == null) {
            return null;
        }
        boolean next = false;
        for (String header : protocolHeaders) {
            for (String protocol : header.split(",")) {
                String value = protocol.trim();
                if (next) {
                    return value.isEmpty() ? null : value;
                }
                next = PROTOCOL.equals(value);
            }
        }
        return null;
    }

    /** The Authorization header to act on: the real one, or a bearer token offered as a WebSocket subprotocol. */
    public static String authorization(String authorizationHeader, List<String> protocolHeaders) {
        if (authorizationHeader != null && !authorizationHeader.isBlank()) {
            return authorizationHeader;
        }
        String token = token(protocolHeaders);
        return token == null ? authorizationHeader : "Bearer " + token;
    }
}
