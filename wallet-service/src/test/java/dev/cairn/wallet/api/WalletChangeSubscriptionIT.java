package dev.cairn.wallet.api;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import redis.embedded.RedisServer;

import dev.cairn.platform.redis.RedisSubscription;
import dev.cairn.localcluster.process.Ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A replica that starts while Redis is away subscribes to wallet changes as soon as Redis is
 * back, and then receives them. Real Redis (the embedded redis-server binary).
 */
class WalletChangeSubscriptionIT {

    @Test
    void subscribesOnceRedisComesUp() throws Exception {
        int port = Ports.free();
        LettuceConnectionFactory connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port),
                LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(1)).build());
        connections.afterPropertiesSet();
        connections.start();
        List<String> received = new CopyOnWriteArrayList<>();
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.initialize();
        RedisSubscription subscription = RedisSubscription.create("wallet changes", "wallet-changes", 1, connections, scheduler,
                container -> container.addMessageListener((message, pattern) -> received.add(new String(message.getBody())),
                        new ChannelTopic(WalletChanges.CHANNEL)));
        RedisServer redis = null;
        try {
            subscription.subscribe();
            await().atMost(Duration.ofSeconds(10)).until(() -> subscription.failedAttempts() >= 1);
            assertThat(subscription.subscribed()).isFalse();

            redis = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"").build();
            redis.start();
            await().atMost(Duration.ofSeconds(20)).until(subscription::subscribed);

            StringRedisTemplate template = new StringRedisTemplate(connections);
            template.convertAndSend(WalletChanges.CHANNEL, "cairn1changed");
            await().atMost(Duration.ofSeconds(5)).until(() -> received.contains("cairn1changed"));
        } finally {
            subscription.stop();
            scheduler.shutdown();
            connections.destroy();
            if (redis != null) {
                redis.stop();
            }
        }
    }
}
