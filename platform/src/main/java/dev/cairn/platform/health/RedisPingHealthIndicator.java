package dev.cairn.platform.health;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Redis health by {@code PING}, bounded by the client's command timeout. Boot's indicator sends
 * {@code INFO} and parses the whole answer into properties on every probe; with the gateways
 * probing each replica every second, a readiness check needs no more than to know that Redis
 * answers.
 */
public class RedisPingHealthIndicator extends AbstractHealthIndicator {

    private final RedisConnectionFactory connections;

    public RedisPingHealthIndicator(RedisConnectionFactory connections) {
        super("Redis ping failed");
        this.connections = connections;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        try (RedisConnection connection = connections.getConnection()) {
            String answer = connection.ping();
            if ("PONG".equalsIgnoreCase(answer)) {
                builder.up();
            } else {
                builder.down();
            }
        }
    }
}
