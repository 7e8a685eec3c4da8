package dev.cairn.validator.sealing;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.MongoDatabaseFactory;

import dev.cairn.platform.instance.InstanceIdentity;
import dev.cairn.platform.lease.Leases;
import dev.cairn.validator.config.ValidatorProperties;

/** The validators' leases on registers, one document per register in the {@code leases} collection. */
@Configuration
class LeaseConfiguration {

    @Bean
    Leases leases(MongoDatabaseFactory databases, ValidatorProperties properties, InstanceIdentity identity, Clock clock) {
        return new Leases(databases.getMongoDatabase().getCollection("leases"), properties.lease().ttl(), properties.lease().renewEvery(),
                identity, clock);
    }
}
