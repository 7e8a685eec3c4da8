package dev.cairn.systemtests;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.cairn.localcluster.LocalCluster;

/**
 * A test class against the run's {@link SharedCluster}: the cluster, its front (nginx when
 * installed, else a gateway) and a token of the installation's first administrator.
 */
@ExtendWith(SharedCluster.class)
abstract class AgainstSharedCluster {

    LocalCluster cluster;
    Http front;
    String admin;

    @BeforeEach
    final void connect(LocalCluster shared) {
        this.cluster = shared;
        this.front = new Http(shared.frontUrl());
        this.admin = Installation.adminToken(shared);
    }
}
