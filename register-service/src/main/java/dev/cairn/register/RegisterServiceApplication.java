package dev.cairn.register;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

import dev.cairn.register.config.RegisterProperties;

@SpringBootApplication
@EnableConfigurationProperties(RegisterProperties.class)
public class RegisterServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(RegisterServiceApplication.class, args);
    }
}
