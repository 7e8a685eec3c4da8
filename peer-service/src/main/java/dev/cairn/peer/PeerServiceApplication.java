package dev.cairn.peer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class PeerServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(PeerServiceApplication.class, args);
    }
}
