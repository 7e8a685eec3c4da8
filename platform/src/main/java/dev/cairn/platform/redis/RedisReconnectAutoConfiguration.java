package dev.cairn.platform.redis;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * Reconnects to a Redis that came back within a second. Lettuce's own backoff doubles up to
 * 30 s, so after an outage of a few seconds a process could wait many seconds more before trying
 * again, and every request that needs Redis (a token's revocation check) failed meanwhile.
 */
@AutoConfiguration
@ConditionalOnClass({ClientResources.class, ClientResourcesBuilderCustomizer.class})
public class RedisReconnectAutoConfiguration {

    /** The longest wait between two attempts to reconnect. */
    static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(1);

    @Bean
    ClientResourcesBuilderCustomizer cairnRedisReconnectDelay() {
        return builder -> builder.reconnectDelay(Delay.exponential(Duration.ofMillis(20), MAX_RECONNECT_DELAY, 2, TimeUnit.MILLISECONDS));
    }
}
