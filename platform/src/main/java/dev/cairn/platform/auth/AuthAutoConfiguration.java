package dev.cairn.platform.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Token verification for every service. A service that issues tokens itself (the tenant
 * service) supplies its own {@link KeySource}; every other one reads the JWKS. Servlet
 * services get the bearer-token filter on every path but the public ones, unless
 * {@code cairn.auth.enabled=false}.
 */
@AutoConfiguration(after = DataRedisAutoConfiguration.class)
@EnableConfigurationProperties(AuthProperties.class)
public class AuthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    @ConditionalOnMissingBean
    KeySource jwksKeySource(AuthProperties properties, Clock clock) {
        return new JwksKeySource(properties.jwksUris(), Duration.ofSeconds(5), Duration.ofMinutes(5), clock);
    }

    @Bean
    @ConditionalOnMissingBean
    TokenVerifier tokenVerifier(KeySource keys, AuthProperties properties, Clock clock) {
        return new TokenVerifier(keys, properties.issuer(), properties.audience(), properties.clockSkew(), clock, 10_000);
    }

    @Bean
    @ConditionalOnMissingBean
    ServiceTokenClient serviceTokenClient(AuthProperties properties, Clock clock) {
        return new ServiceTokenClient(properties.client(), clock);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(StringRedisTemplate.class)
    @ConditionalOnProperty(name = "cairn.auth.enabled", matchIfMissing = true)
    static class ServletConfiguration {

        @Bean
        @ConditionalOnMissingBean
        RevocationList revocationList(ObjectProvider<StringRedisTemplate> redis, AuthProperties properties) {
            StringRedisTemplate template = redis.getIfAvailable();
            if (template == null) {
                throw new IllegalStateException("Token revocation needs Redis (spring.data.redis.*); set cairn.auth.enabled=false "
                        + "only for a service that takes no authenticated requests");
            }
            return new RevocationList(template, properties.maxTokenLifetime());
        }

        @Bean
        FilterRegistrationBean<BearerTokenFilter> bearerTokenFilter(TokenVerifier verifier, RevocationList revocations,
                KeySource keys, AuthProperties properties) {
            if (keys instanceof JwksKeySource && properties.jwksUris().isEmpty()) {
                throw new IllegalStateException("cairn.auth.jwks-uris (CAIRN_AUTH_JWKSURIS) is not set: access tokens cannot be verified");
            }
            FilterRegistrationBean<BearerTokenFilter> registration =
                    new FilterRegistrationBean<>(new BearerTokenFilter(verifier, revocations, withOperationalPaths(properties)));
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
            return registration;
        }

        @Bean
        WebMvcConfigurer callerArgumentResolver() {
            return new WebMvcConfigurer() {
                @Override
                public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
                    resolvers.add(new CallerArgumentResolver());
                }
            };
        }

        /** Probes, metrics and API documents need no token; they are not routed by the gateway. */
        private static AuthProperties withOperationalPaths(AuthProperties properties) {
            List<String> publicPaths = new ArrayList<>(properties.publicPaths());
            publicPaths.addAll(List.of("/actuator/**", "/v3/api-docs", "/v3/api-docs/**", "/error"));
            return new AuthProperties(properties.issuer(), properties.audience(), properties.jwksUris(), properties.clockSkew(),
                    properties.maxTokenLifetime(), publicPaths, properties.adminPaths(), properties.revocation(), properties.client(),
                    properties.enabled());
        }
    }
}
