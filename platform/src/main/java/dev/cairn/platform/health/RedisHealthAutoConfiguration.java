package dev.cairn.platform.health;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.health.DataRedisHealthContributorAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.health.DataRedisReactiveHealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/** Registers the ping-based Redis indicator under the name {@code redis}, replacing Boot's. */
@AutoConfiguration(after = DataRedisAutoConfiguration.class,
        before = {DataRedisHealthContributorAutoConfiguration.class, DataRedisReactiveHealthContributorAutoConfiguration.class})
@ConditionalOnClass({RedisConnectionFactory.class, DataRedisHealthContributorAutoConfiguration.class})
public class RedisHealthAutoConfiguration {

    @Bean(name = "redisHealthContributor")
    @ConditionalOnBean(RedisConnectionFactory.class)
    @ConditionalOnEnabledHealthIndicator("redis")
    RedisPingHealthIndicator redisHealthContributor(RedisConnectionFactory connections) {
        return new RedisPingHealthIndicator(connections);
    }
}
