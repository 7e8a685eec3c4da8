package dev.cairn.gateway.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which requests need a token at the edge ({@code cairn.gateway.security.*}).
 *
 * @param protectedPaths paths that need a token (the routed API), unless also public
 * @param publicPaths paths anyone may call (sign-in, token endpoints, JWKS, health, docs)
 * @param adminPaths  paths where a token whose revocation cannot be checked is refused even
 *                    when {@code cairn.auth.revocation.on-store-failure=allow}
 * @param websocketOrigins origins, besides the one a request is sent to (the console's), that a
 *                    browser may open {@code /ws/**} from; none by default
 */
@ConfigurationProperties("cairn.gateway.security")
public record EdgeSecurityProperties(List<String> protectedPaths, List<String> publicPaths, List<String> adminPaths,
        List<String> websocketOrigins) {

    public EdgeSecurityProperties {
        protectedPaths = protectedPaths == null ? List.of("/api/**", "/ws/**") : List.copyOf(protectedPaths);
        publicPaths = publicPaths == null ? List.of() : List.copyOf(publicPaths);
        adminPaths = adminPaths == null ? List.of() : List.copyOf(adminPaths);
        websocketOrigins = websocketOrigins == null ? List.of() : List.copyOf(websocketOrigins);
    }
}
