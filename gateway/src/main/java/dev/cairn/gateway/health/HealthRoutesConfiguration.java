package dev.cairn.gateway.health;

import java.time.Duration;

import tools.jackson.databind.json.JsonMapper;

import dev.cairn.gateway.upstream.HealthProber;
import dev.cairn.gateway.upstream.UpstreamRegistry;
import dev.cairn.platform.instance.InstanceIdentity;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;

@Configuration(proxyBeanMethods = false)
class HealthRoutesConfiguration {

    @Bean
    AggregatedHealthHandler aggregatedHealthHandler(UpstreamRegistry registry, HealthProber prober, InstanceIdentity identity,
            JsonMapper json, @Value("${cairn.gateway.health.aggregate-reuse:500ms}") Duration reuseFor) {
        return new AggregatedHealthHandler(registry, prober, identity, json, reuseFor);
    }

    @Bean
    RouterFunction<ServerResponse> healthRoutes(AggregatedHealthHandler handler) {
        return RouterFunctions.route(GET("/api/health"), handler::health);
    }
}
