package dev.cairn.gateway;

import java.security.Security;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class GatewayApplication {

    public static void main(String[] args) {
        // Replicas behind a DNS name come and go (compose --scale, Kubernetes): do not let the
        // JVM cache an answer for long, or new replicas stay invisible and dead ones linger.
        Security.setProperty("networkaddress.cache.ttl", System.getProperty("cairn.dns.ttl-seconds", "2"));
        Security.setProperty("networkaddress.cache.negative.ttl", "1");
        SpringApplication.run(GatewayApplication.class, args);
    }
}
