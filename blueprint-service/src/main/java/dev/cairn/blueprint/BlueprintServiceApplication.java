package dev.cairn.blueprint;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;

import dev.cairn.blueprint.config.BlueprintProperties;

@SpringBootApplication
@EnableScheduling
@EnableConfigurationProperties(BlueprintProperties.class)
public class BlueprintServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(BlueprintServiceApplication.class, args);
    }
}
