package dev.cairn.platform.health;

import com.mongodb.client.MongoClient;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.mongodb.autoconfigure.MongoAutoConfiguration;
import org.springframework.boot.mongodb.autoconfigure.health.MongoHealthContributorAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import dev.cairn.platform.config.CairnProperties;

/** Registers the ping-based MongoDB indicator under the name {@code mongo}, replacing Boot's. */
@AutoConfiguration(after = MongoAutoConfiguration.class, before = MongoHealthContributorAutoConfiguration.class)
@ConditionalOnClass(MongoClient.class)
@EnableConfigurationProperties(CairnProperties.class)
public class StoreHealthAutoConfiguration {

    @Bean(name = "mongoHealthContributor")
    @ConditionalOnBean(MongoClient.class)
    MongoPingHealthIndicator mongoHealthContributor(MongoClient client, CairnProperties properties) {
        return new MongoPingHealthIndicator(client, properties.health().mongoTimeout());
    }
}
