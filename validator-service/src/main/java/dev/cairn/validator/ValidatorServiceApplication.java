package dev.cairn.validator;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

import dev.cairn.validator.config.ValidatorProperties;

@SpringBootApplication
@EnableConfigurationProperties(ValidatorProperties.class)
public class ValidatorServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(ValidatorServiceApplication.class, args);
    }
}
