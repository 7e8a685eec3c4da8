package dev.cairn.validator.mempool;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.EnableScheduling;

import dev.cairn.platform.redis.RedisSubscription;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
class PendingWorkConfiguration {

    @Bean(destroyMethod = "stop")
    RedisSubscription pendingWorkSubscription(RedisConnectionFactory connections, PendingWork pendingWork, TaskScheduler scheduler) {
        return RedisSubscription.create("pending transactions", "pending-work", 1, connections, scheduler,
                container -> container.addMessageListener(pendingWork, new ChannelTopic(PendingWork.CHANNEL)));
    }
}
