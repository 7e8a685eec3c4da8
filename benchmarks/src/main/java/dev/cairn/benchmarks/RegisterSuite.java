package dev.cairn.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;

import dev.cairn.localcluster.ClusterSpec;
import dev.cairn.localcluster.LocalCluster;
import dev.cairn.testsupport.LedgerFixture;

/**
 * One replica of every service on the embedded stores (MongoDB's memory backend), for the
 * benchmarks that write dockets straight to a register replica as a validator does: the
 * replica's address, an administrator's token, a validator's service token, the client key that
 * signs the transactions, and MongoDB itself, to fill a register or to compare with.
 */
final class RegisterSuite implements AutoCloseable {

    final LocalCluster cluster;
    final String register;
    final String admin;
    final String validator;
    final LedgerFixture fixture = new LedgerFixture();
    private final MongoClient mongo;

    private RegisterSuite(LocalCluster cluster, Path home) throws Exception {
        this.cluster = cluster;
        String gateway = cluster.gatewayUrls().get(0);
        this.register = LocalCluster.url(cluster.replicas("register-service").get(0));
        this.admin = BenchHttp.bootstrapAdmin(gateway);
        this.validator = BenchHttp.serviceToken(gateway, home, "validator-service");
        this.mongo = MongoClients.create(cluster.stores().endpoints().mongoUri());
    }

    /** Starts the suite in a new temporary home named after {@code benchmark}, with {@code environment} added. */
    static RegisterSuite start(Path root, String benchmark, Map<String, String> environment) throws Exception {
        Path home = Files.createTempDirectory("cairn-bench-" + benchmark);
        ClusterSpec.Builder spec = ClusterSpec.builder(root).home(home).replicas(1).gateways(1).nginx(ClusterSpec.NginxMode.OFF).frontPort(0)
                .mongoBackend(ClusterSpec.MongoBackend.MEMORY).mongoHeap("8g").freshData(true);
        environment.forEach(spec::environment);
        LocalCluster cluster = LocalCluster.start(spec.build());
        try {
            return new RegisterSuite(cluster, home);
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** A new register whose genesis this benchmark sealed. */
    RegisterChain newChain() throws Exception {
        return new RegisterChain(register, admin, validator, fixture);
    }

    MongoDatabase database(String name) {
        return mongo.getDatabase(name);
    }

    /** The database the register service keeps {@code chain}'s register in. */
    MongoDatabase database(RegisterChain chain) {
        return mongo.getDatabase("cairn_register_" + chain.registerId);
    }

    @Override
    public void close() {
        mongo.close();
        cluster.close();
    }
}
