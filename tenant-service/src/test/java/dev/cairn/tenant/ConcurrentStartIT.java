package dev.cairn.tenant;

import dev.cairn.testsupport.TestStores;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three tenant replicas start at the same instant on an empty database: every one comes up,
 * each migration is applied once, one signing key is created, and each of Cairn's service
 * principals is provisioned once.
 */
class ConcurrentStartIT {

    @Test
    void threeReplicasStartingTogetherOnAnEmptyDatabase() throws Exception {
        String url = TestStores.freshDatabase("cairn_tenant_race");
        CyclicBarrier together = new CyclicBarrier(3);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<ConfigurableApplicationContext>> starts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            starts.add(pool.submit(() -> {
                together.await();
                return new SpringApplicationBuilder(TenantServiceApplication.class).run(
                        "--server.port=0",
                        "--spring.datasource.url=" + url,
                        "--spring.datasource.username=cairn",
                        "--spring.datasource.password=" + TestStores.POSTGRES_PASSWORD,
                        "--spring.data.redis.url=" + TestStores.endpoints().redisUri(),
                        "--cairn.tenant.key-encryption-key=" + TestStores.KEY_ENCRYPTION_KEY,
                        "--cairn.tenant.service-principals[0].client-id=validator-service",
                        "--cairn.tenant.service-principals[0].secret=validator-secret-0123456789",
                        "--cairn.tenant.service-principals[0].scopes=wallet:sign,register:write-docket",
                        "--cairn.tenant.service-principals[1].client-id=peer-service",
                        "--cairn.tenant.service-principals[1].secret=peer-secret-0123456789",
                        "--cairn.tenant.service-principals[1].scopes=register:read");
            }));
        }
        List<ConfigurableApplicationContext> replicas = new ArrayList<>();
        try {
            for (Future<ConfigurableApplicationContext> start : starts) {
                replicas.add(start.get(3, TimeUnit.MINUTES));
            }
            assertThat(replicas).hasSize(3).allSatisfy(context -> assertThat(context.isActive()).isTrue());
            try (Connection connection = DriverManager.getConnection(url, "cairn", TestStores.POSTGRES_PASSWORD);
                 Statement statement = connection.createStatement()) {
                assertThat(count(statement, "SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL"))
                        .isEqualTo(count(statement, "SELECT count(DISTINCT version) FROM flyway_schema_history WHERE version IS NOT NULL"))
                        .isPositive();
                assertThat(count(statement, "SELECT count(*) FROM flyway_schema_history WHERE NOT success")).isZero();
                assertThat(count(statement, "SELECT count(*) FROM signing_keys")).isEqualTo(1);
                assertThat(count(statement, "SELECT count(*) FROM service_principals WHERE system")).isEqualTo(2);
            }
        } finally {
            replicas.forEach(ConfigurableApplicationContext::close);
            pool.shutdownNow();
        }
    }

    private static long count(Statement statement, String sql) throws Exception {
        try (ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
