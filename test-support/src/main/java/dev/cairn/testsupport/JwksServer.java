package dev.cairn.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;


/**
 * An HTTP server publishing one test key as a JWKS, as the tenant service publishes its keys,
 * so that a service under test verifies tokens the way it does in production.
 */
public final class JwksServer implements AutoCloseable {

    public static final String ISSUER = "cairn";
    public static final String AUDIENCE = "cairn";

    private final TestTokens keys = new TestTokens("test-key");
    private final HttpServer server;

    public JwksServer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/.well-known/jwks.json", exchange -> {
            byte[] body = keys.jwks().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    public String uri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/jwks.json";
    }

    /** A user's access token. */
    public String userToken(String userId, String organizationId, String... roles) {
        Map<String, Object> claims = TestTokens.userClaims(ISSUER, AUDIENCE, Instant.now());
        claims.put("sub", userId);
        claims.put("org_id", organizationId);
        claims.put("roles", java.util.List.of(roles.length == 0 ? new String[] {"Member"} : roles));
        return keys.sign(keys.header(), claims);
    }

    /** A service's access token; a null organisation means one of Cairn's own services. */
    public String serviceToken(String clientId, String organizationId, String scopes) {
        Map<String, Object> claims = TestTokens.userClaims(ISSUER, AUDIENCE, Instant.now());
        claims.put("sub", clientId);
        claims.remove("roles");
        claims.remove("sid");
        claims.put("token_type", "service");
        claims.put("scope", scopes);
        if (organizationId == null) {
            claims.remove("org_id");
        } else {
            claims.put("org_id", organizationId);
        }
        return keys.sign(keys.header(), claims);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
