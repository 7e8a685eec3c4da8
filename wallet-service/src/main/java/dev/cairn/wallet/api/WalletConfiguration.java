package dev.cairn.wallet.api;

import dev.cairn.wallet.keys.UnlockedKeys;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
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

    @Bean(destroyMethod = "stop")
    RedisSubscription walletChangeSubscription(RedisConnectionFactory connections, WalletChanges changes, TaskScheduler scheduler) {
        return RedisSubscription.create("wallet changes", "wallet-changes", 1, connections, scheduler,
                container -> container.addMessageListener(changes, new ChannelTopic(WalletChanges.CHANNEL)));
    }
}
