package dev.cairn.platform.instance;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.cairn.platform.config.CairnProperties;

import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

@AutoConfiguration
@EnableConfigurationProperties(CairnProperties.class)
public class InstanceAutoConfiguration {

    @Bean
    InstanceIdentity instanceIdentity(CairnProperties properties, Environment environment) {
        String serviceName = environment.getProperty("spring.application.name", "cairn");
        int port = environment.getProperty("server.port", Integer.class, 0);
        return new InstanceIdentity(serviceName, properties.instanceId(), port);
    }

    @Bean
    ApplicationListener<WebServerInitializedEvent> instanceIdentityPortListener(InstanceIdentity identity) {
        return event -> {
            // The management server (when on its own port) must not rename the instance.
            if (event.getApplicationContext().getServerNamespace() == null) {
                identity.webServerStarted(event.getWebServer().getPort());
            }
        };
    }

    @Bean
    InfoContributor instanceInfoContributor(InstanceIdentity identity) {
        return builder -> {
            Map<String, Object> instance = new LinkedHashMap<>();
            instance.put("id", identity.id());
            instance.put("service", identity.serviceName());
            instance.put("startedAt", identity.startedAt().toString());
            instance.put("pid", ProcessHandle.current().pid());
            builder.withDetail("instance", instance);
        };
    }

    @Bean
    @ConditionalOnProperty("cairn.parent-pid")
    ParentProcessWatchdog parentProcessWatchdog(CairnProperties properties, ConfigurableApplicationContext context) {
        return new ParentProcessWatchdog(properties.parentPid(), context);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    static class ServletInstanceHeaderConfiguration {

        @Bean
        FilterRegistrationBean<InstanceHeaderFilter> instanceHeaderFilter(InstanceIdentity identity) {
            FilterRegistrationBean<InstanceHeaderFilter> registration = new FilterRegistrationBean<>(new InstanceHeaderFilter(identity));
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
            return registration;
        }
    }
}
