package dev.cairn.platform.health;

import java.time.Duration;

import com.mongodb.client.MongoClient;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.mongodb.autoconfigure.MongoAutoConfiguration;
import org.springframework.boot.mongodb.autoconfigure.health.MongoHealthContributorAutoConfiguration;
import org.springframework.context.annotation.Bean;

/** Registers the ping-based MongoDB indicator under the name {@code mongo}, replacing Boot's. */
@AutoConfiguration(after = MongoAutoConfiguration.class, before = MongoHealthContributorAutoConfiguration.class)
@ConditionalOnClass(MongoClient.class)
public class StoreHealthAutoConfiguration {

    @Bean(name = "mongoHealthContributor")
    @ConditionalOnBean(MongoClient.class)
    MongoPingHealthIndicator mongoHealthContributor(MongoClient client,
            @Value("${cairn.health.mongo-timeout:2s}") Duration timeout) {
        return new MongoPingHealthIndicator(client, timeout);
    }
}
