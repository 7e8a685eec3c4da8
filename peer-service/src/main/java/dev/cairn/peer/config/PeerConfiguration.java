package dev.cairn.peer.config;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.MongoDatabaseFactory;

import dev.cairn.platform.instance.InstanceIdentity;
import dev.cairn.platform.lease.Leases;

/** The peer service's leases ({@code peer_leases}): the membership rounds and each subscription's replication, one replica each. */
@Configuration
class PeerConfiguration {

    @Bean
    Leases peerLeases(MongoDatabaseFactory databases, PeerProperties properties, InstanceIdentity identity, Clock clock) {
        return new Leases(databases.getMongoDatabase().getCollection("peer_leases"), properties.leaseTtl(), properties.leaseRenewEvery(),
                identity, clock);
    }
}
