package dev.cairn.validator.mempool;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.EnableScheduling;

import dev.cairn.platform.redis.RedisSubscription;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
class PendingWorkConfiguration {

    @Bean
    RedisMessageListenerContainer pendingWorkListener(RedisConnectionFactory connections, PendingWork pendingWork) {
        // started by RedisSubscription once the replica is up: Redis being away at start must not stop a replica from starting
        RedisMessageListenerContainer container = RedisSubscription.listenerContainer(connections);
        container.addMessageListener(pendingWork, new ChannelTopic(PendingWork.CHANNEL));
        return container;
    }

    @Bean(destroyMethod = "stop")
    RedisSubscription pendingWorkSubscription(RedisConnectionFactory connections, RedisMessageListenerContainer pendingWorkListener,
            TaskScheduler scheduler) {
        return new RedisSubscription("pending transactions", connections, pendingWorkListener, scheduler);
    }
}
