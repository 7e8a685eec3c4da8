package dev.cairn.peer.config;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.MongoDatabaseFactory;

import dev.cairn.keys.KeyProtector;
import dev.cairn.keys.KeyProtectors;
import dev.cairn.keys.KeySealer;
import dev.cairn.peer.identity.NodeIdentity;
import dev.cairn.platform.instance.InstanceIdentity;
import dev.cairn.platform.lease.Leases;

/**
 * The peer service's leases ({@code peer_leases}: the membership rounds and each subscription's
 * replication, one replica each) and the protector of the node key.
 */
@Configuration
class PeerConfiguration {

    /** Closed at shutdown, which revokes a Vault token obtained by login. */
    @Bean
    KeyProtector nodeKeyProtector(PeerProperties properties) {
        return KeyProtectors.create(properties.keys(), NodeIdentity.NODE_KEY);
    }

    @Bean
    KeySealer nodeKeySealer(KeyProtector nodeKeyProtector) {
        return new KeySealer(nodeKeyProtector);
    }

    @Bean
    Leases peerLeases(MongoDatabaseFactory databases, PeerProperties properties, InstanceIdentity identity, Clock clock) {
        return new Leases(databases.getMongoDatabase().getCollection("peer_leases"), properties.leaseTtl(), properties.leaseRenewEvery(),
                identity, clock);
    }
}
