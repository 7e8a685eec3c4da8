package dev.cairn.platform.health;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.localcluster.process.Ports;

/** The ping-based indicator against a real Redis (the embedded redis-server binary), up and after it goes away. */
class RedisPingHealthIndicatorIT {

    @Test
    void upWhileRedisAnswersDownSoonAfterItStops() throws Exception {
        int port = Ports.free();
        RedisServer redis = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"").build();
        redis.start();
        LettuceConnectionFactory connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port),
                LettuceClientConfiguration.builder().commandTimeout(Duration.ofMillis(700)).build());
        connections.afterPropertiesSet();
        connections.start();
        try {
            RedisPingHealthIndicator indicator = new RedisPingHealthIndicator(connections);
            assertThat(indicator.health(false).getStatus()).isEqualTo(Status.UP);

            redis.stop();
            long started = System.nanoTime();
            Health health = indicator.health(false);
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(millis).as("the probe is bounded by the command timeout").isLessThan(3000);
        } finally {
            connections.destroy();
            if (redis.isActive()) {
                redis.stop();
            }
        }
    }
}
