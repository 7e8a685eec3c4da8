package dev.cairn.peer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;

import dev.cairn.peer.config.PeerProperties;

@SpringBootApplication
@EnableScheduling
@EnableConfigurationProperties(PeerProperties.class)
public class PeerServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(PeerServiceApplication.class, args);
    }
}
