package dev.cairn.tenant.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cairn.platform.problem.ApiException;
import dev.cairn.tenant.principal.ServicePrincipal;
import dev.cairn.tenant.principal.ServicePrincipalService;
import dev.cairn.tenant.token.TokenIssuer;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The OAuth2 token endpoint for the client-credentials grant (RFC 6749 §4.4): form-encoded,
 * client authenticated by HTTP Basic or by {@code client_id}/{@code client_secret} in the body.
 * Errors carry the RFC 6749 {@code error} code inside a problem+json body.
 */
@RestController
class ServiceAuthController {

    private static final Logger log = LoggerFactory.getLogger(ServiceAuthController.class);

    private final ServicePrincipalService principals;
    private final TokenIssuer issuer;

    ServiceAuthController(ServicePrincipalService principals, TokenIssuer issuer) {
        this.principals = principals;
        this.issuer = issuer;
    }

    @PostMapping(path = "/api/service-auth/token", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    ResponseEntity<Map<String, Object>> token(@RequestBody MultiValueMap<String, String> form,
            @RequestHeader(name = "Authorization", required = false) String authorization) {
        String grantType = single(form, "grant_type");
        if (grantType == null) {
            throw oauth(HttpStatus.BAD_REQUEST, "invalid_request", "grant_type is required");
        }
        if (!"client_credentials".equals(grantType)) {
            throw oauth(HttpStatus.BAD_REQUEST, "unsupported_grant_type", "Only the client_credentials grant is supported here");
        }
        String clientId = single(form, "client_id");
        String clientSecret = single(form, "client_secret");
        boolean basic = authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6);
        if (basic) {
            String[] credentials = decodeBasic(authorization.substring(6).trim());
            if (clientId != null && !clientId.equals(credentials[0])) {
                throw oauth(HttpStatus.BAD_REQUEST, "invalid_request", "client_id differs from the Basic credentials");
            }
            clientId = credentials[0];
            clientSecret = credentials[1];
        }
        if (clientId == null || clientSecret == null) {
            throw invalidClient(basic);
        }
        boolean viaBasic = basic;
        ServicePrincipal principal = principals.authenticate(clientId, clientSecret).orElseThrow(() -> invalidClient(viaBasic));
        Set<String> scopes = new LinkedHashSet<>(principal.scopes());
        String requested = single(form, "scope");
        if (requested != null && !requested.isBlank()) {
            Set<String> asked = new LinkedHashSet<>(List.of(requested.trim().split("\\s+")));
            if (!principal.scopes().containsAll(asked)) {
                throw oauth(HttpStatus.BAD_REQUEST, "invalid_scope", "The client may not request one of these scopes");
            }
            scopes = asked;
        }
        TokenIssuer.Issued token = issuer.forService(principal.clientId(), principal.organizationId(), scopes);
        log.debug("Issued a service token to {}", principal.clientId());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", token.token());
        body.put("token_type", "Bearer");
        body.put("expires_in", token.expiresInSeconds());
        body.put("scope", String.join(" ", scopes));
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).header("Pragma", "no-cache").body(body);
    }

    private static String single(MultiValueMap<String, String> form, String name) {
        List<String> values = form.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw oauth(HttpStatus.BAD_REQUEST, "invalid_request", name + " is given more than once");
        }
        return values.get(0);
    }

    private static String[] decodeBasic(String encoded) {
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw invalidClient(true);
            }
            return new String[] {java.net.URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                    java.net.URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
        } catch (IllegalArgumentException e) {
            throw invalidClient(true);
        }
    }

    private static ApiException invalidClient(boolean basic) {
        ApiException e = oauth(HttpStatus.UNAUTHORIZED, "invalid_client", "Client authentication failed");
        e.getHeaders().set("WWW-Authenticate", basic ? "Basic realm=\"cairn\"" : "Bearer realm=\"cairn\"");
        return e;
    }

    private static ApiException oauth(HttpStatus status, String error, String description) {
        return new ApiException(status, "oauth-" + error.replace('_', '-'), status.getReasonPhrase(), description,
                Map.of("error", error, "error_description", description));
    }
}
