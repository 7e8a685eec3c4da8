package dev.cairn.wallet.api;

import dev.cairn.wallet.keys.UnlockedKeys;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.EnableScheduling;

import dev.cairn.platform.redis.RedisSubscription;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
class WalletConfiguration {

    @Bean
    WalletChanges walletChanges(StringRedisTemplate redis, UnlockedKeys unlocked) {
        return new WalletChanges(redis, unlocked);
    }

    @Bean
    RedisMessageListenerContainer walletChangeListener(RedisConnectionFactory connections, WalletChanges changes) {
        // started by RedisSubscription once the replica is up: Redis being away at start
        // must not stop a replica from starting
        RedisMessageListenerContainer container = RedisSubscription.listenerContainer(connections);
        container.addMessageListener(changes, new ChannelTopic(WalletChanges.CHANNEL));
        return container;
    }

    @Bean(destroyMethod = "stop")
    RedisSubscription walletChangeSubscription(RedisConnectionFactory connections,
            RedisMessageListenerContainer walletChangeListener, TaskScheduler scheduler) {
        return new RedisSubscription("wallet changes", connections, walletChangeListener, scheduler);
    }
}
