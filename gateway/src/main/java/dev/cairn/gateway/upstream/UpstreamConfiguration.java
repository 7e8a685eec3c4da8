package dev.cairn.gateway.upstream;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(UpstreamProperties.class)
class UpstreamConfiguration {

    @Bean
    UpstreamRegistry upstreamRegistry(UpstreamProperties properties) {
        return new UpstreamRegistry(properties);
    }

    @Bean
    HealthProber healthProber(UpstreamRegistry registry, UpstreamProperties properties) {
        return new HealthProber(registry, properties);
    }

    @Bean
    LoadBalancingFilter loadBalancingFilter(UpstreamRegistry registry) {
        return new LoadBalancingFilter(registry);
    }
}
