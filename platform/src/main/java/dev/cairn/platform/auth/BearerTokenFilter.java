package dev.cairn.platform.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cairn.platform.problem.ProblemJson;
import dev.cairn.platform.web.PathPatterns;

import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates every request by its bearer token before any controller runs: the token is
 * verified locally, then checked against the revocation list. Public paths may be called
 * without a token. Failures are 401 problem+json with a {@code WWW-Authenticate} challenge
 * (RFC 6750); a revocation list that cannot be read is 503 on administrator paths, and on the
 * others whatever {@code cairn.auth.revocation.on-store-failure} says.
 */
public class BearerTokenFilter extends OncePerRequestFilter {

    public static final String CALLER_ATTRIBUTE = Caller.class.getName();
    /** The verified bearer token itself, for a service that calls another on the caller's behalf. */
    public static final String TOKEN_ATTRIBUTE = Caller.class.getName() + ".token";

    private static final Logger log = LoggerFactory.getLogger(BearerTokenFilter.class);

    private final TokenVerifier verifier;
    private final RevocationList revocations;
    private final AuthProperties properties;
    private final PathPatterns publicPaths;
    private final PathPatterns adminPaths;
    private final AtomicLong uncheckedRevocations = new AtomicLong();

    public BearerTokenFilter(TokenVerifier verifier, RevocationList revocations, AuthProperties properties) {
        this.verifier = verifier;
        this.revocations = revocations;
        this.properties = properties;
        this.publicPaths = new PathPatterns(properties.publicPaths());
        this.adminPaths = new PathPatterns(properties.adminPaths());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        boolean publicPath = publicPaths.matches(path);
        String header = WebSocketBearer.authorization(request.getHeader("Authorization"),
                java.util.Collections.list(request.getHeaders(WebSocketBearer.HEADER)));
        if (header == null || header.isBlank()) {
            if (publicPath) {
                chain.doFilter(request, response);
            } else {
                unauthorized(response, null, "A bearer token is required");
            }
            return;
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            // e.g. HTTP Basic client authentication at the token endpoint
            if (publicPath) {
                chain.doFilter(request, response);
            } else {
                unauthorized(response, "invalid_request", "Only Bearer authorization is accepted");
            }
            return;
        }
        Caller caller;
        String token = header.substring(7).trim();
        try {
            caller = verifier.verify(token);
        } catch (InvalidTokenException e) {
            if (publicPath) {
                chain.doFilter(request, response);
            } else {
                unauthorized(response, "invalid_token", "The access token is not valid: " + e.getMessage());
            }
            return;
        }
        try {
            if (revocations.isRevoked(caller)) {
                unauthorized(response, "invalid_token", "The access token has been revoked");
                return;
            }
        } catch (DataAccessException | IllegalStateException e) {
            if (adminPaths.matches(path) || properties.revocation().onStoreFailure() == AuthProperties.OnFailure.DENY) {
                response.setHeader("Retry-After", "1");
                write(response, HttpStatus.SERVICE_UNAVAILABLE, null,
                        "Token revocation cannot be checked right now; try again shortly");
                return;
            }
            if (uncheckedRevocations.incrementAndGet() % 1000 == 1) {
                log.warn("Revocation list unreadable ({}); letting verified tokens through unchecked (total so far: {})",
                        e.getMessage(), uncheckedRevocations.get());
            }
        }
        request.setAttribute(CALLER_ATTRIBUTE, caller);
        request.setAttribute(TOKEN_ATTRIBUTE, token);
        chain.doFilter(request, response);
    }

    /** Requests let through with a verified token whose revocation could not be checked. */
    public long uncheckedRevocations() {
        return uncheckedRevocations.get();
    }

    private static void unauthorized(HttpServletResponse response, String error, String detail) throws IOException {
        String challenge = error == null ? "Bearer realm=\"cairn\""
                : "Bearer realm=\"cairn\", error=\"" + error + "\", error_description=\"" + detail.replace("\"", "'") + "\"";
        response.setHeader("WWW-Authenticate", challenge);
        write(response, HttpStatus.UNAUTHORIZED, "unauthorized", detail);
    }

    private static void write(HttpServletResponse response, HttpStatus status, String type, String detail) throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(ProblemJson.render(status, type, status.getReasonPhrase(), detail, Map.of())
                .getBytes(StandardCharsets.UTF_8));
    }
}
