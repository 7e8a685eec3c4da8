package dev.cairn.blueprint;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class BlueprintServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(BlueprintServiceApplication.class, args);
    }
}
