package dev.cairn.gateway.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

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
public record EdgeSecurityProperties(@DefaultValue({"/api/**", "/ws/**"}) List<String> protectedPaths, @DefaultValue List<String> publicPaths,
        @DefaultValue List<String> adminPaths, @DefaultValue List<String> websocketOrigins) {

    public EdgeSecurityProperties {
        protectedPaths = List.copyOf(protectedPaths);
        publicPaths = List.copyOf(publicPaths);
        adminPaths = List.copyOf(adminPaths);
        websocketOrigins = List.copyOf(websocketOrigins);
    }
}
