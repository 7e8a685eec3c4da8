package dev.cairn.gateway.security;

import dev.cairn.gateway.ratelimit.RateLimitFilter;
import dev.cairn.gateway.ratelimit.RateLimitProperties;
import dev.cairn.platform.auth.AuthProperties;
import dev.cairn.platform.auth.TokenVerifier;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({EdgeSecurityProperties.class, RateLimitProperties.class})
class EdgeSecurityConfiguration {

    @Bean
    EdgeAuthenticationFilter edgeAuthenticationFilter(TokenVerifier verifier, ReactiveStringRedisTemplate redis, AuthProperties auth,
            EdgeSecurityProperties properties) {
        return new EdgeAuthenticationFilter(verifier, redis, auth, properties);
    }

    @Bean
    WebSocketOriginFilter webSocketOriginFilter(EdgeSecurityProperties properties) {
        return new WebSocketOriginFilter(properties.websocketOrigins());
    }

    @Bean
    RateLimitFilter rateLimitFilter(ReactiveStringRedisTemplate redis, RateLimitProperties properties) {
        return new RateLimitFilter(redis, properties);
    }
}
