package dev.cairn.platform.openapi;

import java.util.List;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.AntPathMatcher;

import dev.cairn.platform.auth.AuthProperties;
import dev.cairn.platform.auth.Caller;

/**
 * Each service's OpenAPI document: named after the service and its build version, with the
 * bearer token scheme on every operation but the public ones, and without the {@link Caller}
 * that the token checks resolve (it is no parameter a client sends).
 */
@AutoConfiguration
@ConditionalOnClass({OpenAPI.class, SpringDocUtils.class})
public class OpenApiAutoConfiguration {

    static final String BEARER = "bearer";
    /** Where the paths of the first API version began; they answer on as aliases (docs/decisions/0007-one-url-scheme.md). */
    static final String LEGACY_PREFIX = "/api/v1/";

    static {
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
    }

    @Bean
    @ConditionalOnMissingBean
    OpenAPI cairnOpenApi(Environment environment, ObjectProvider<BuildProperties> build) {
        String service = environment.getProperty("spring.application.name", "cairn");
        BuildProperties properties = build.getIfAvailable();
        return new OpenAPI().info(new Info()
                        .title("Cairn " + service)
                        .version(properties != null ? properties.getVersion() : "dev"))
                .components(new Components().addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                        .scheme("bearer").bearerFormat("JWT").description("An access token from POST /api/auth/login or /api/service-auth/token")));
    }

    /** The bearer scheme on every operation whose path is not among {@code cairn.auth.public-paths}. */
    @Bean
    OpenApiCustomizer cairnSecurityRequirements(ObjectProvider<AuthProperties> auth) {
        return openApi -> {
            AuthProperties properties = auth.getIfAvailable();
            List<String> publicPaths = properties == null ? List.of() : properties.publicPaths();
            AntPathMatcher matcher = new AntPathMatcher();
            if (openApi.getPaths() == null) {
                return;
            }
            // the earlier /api/v1/... paths still answer, as aliases of the current ones; documenting both would list every operation twice
            openApi.getPaths().keySet().removeIf(path -> path.startsWith(LEGACY_PREFIX));
            openApi.getPaths().forEach((path, item) -> {
                boolean open = publicPaths.stream().anyMatch(pattern -> matcher.match(pattern, path));
                if (!open) {
                    item.readOperations().forEach(operation -> operation.addSecurityItem(new SecurityRequirement().addList(BEARER)));
                }
            });
        };
    }
}
