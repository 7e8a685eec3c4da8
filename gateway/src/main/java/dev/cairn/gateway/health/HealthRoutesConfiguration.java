package dev.cairn.gateway.health;

import tools.jackson.databind.json.JsonMapper;

import dev.cairn.gateway.upstream.HealthProber;
import dev.cairn.gateway.upstream.UpstreamProperties;
import dev.cairn.gateway.upstream.UpstreamRegistry;
import dev.cairn.platform.instance.InstanceIdentity;

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
            JsonMapper json, UpstreamProperties properties) {
        return new AggregatedHealthHandler(registry, prober, identity, json, properties.health().aggregateReuse());
    }

    @Bean
    RouterFunction<ServerResponse> healthRoutes(AggregatedHealthHandler handler) {
        return RouterFunctions.route(GET("/api/health"), handler::health);
    }
}
