package dev.cairn.gateway.edge;

import dev.cairn.platform.config.CairnProperties;
import dev.cairn.platform.instance.InstanceIdentity;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class EdgeConfiguration {

    @Bean
    GatewayInstanceHeaderFilter gatewayInstanceHeaderFilter(InstanceIdentity identity) {
        return new GatewayInstanceHeaderFilter(identity);
    }

    @Bean
    BrowserHeadersFilter browserHeadersFilter() {
        return new BrowserHeadersFilter();
    }

    @Bean
    BodySizeLimitFilter bodySizeLimitFilter(CairnProperties properties) {
        return new BodySizeLimitFilter(properties.maxRequestSize().toBytes());
    }

    @Bean
    ProblemErrorWebExceptionHandler problemErrorWebExceptionHandler() {
        return new ProblemErrorWebExceptionHandler();
    }
}
