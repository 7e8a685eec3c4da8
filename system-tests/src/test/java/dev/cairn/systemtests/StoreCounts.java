package dev.cairn.systemtests;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;

import dev.cairn.localcluster.LocalCluster;
import dev.cairn.localcluster.ServiceCatalog;
import dev.cairn.localcluster.store.Stores;

/**
 * How many documents every MongoDB collection holds and how many rows every PostgreSQL table,
 * across the whole installation: to show that refused requests stored nothing.
 */
final class StoreCounts {

    /**
     * MongoDB's own databases: the replica set's oplog grows with every write the suite's
     * background work makes (leases, heartbeats), so a count there says nothing about a request.
     */
    private static final Set<String> SYSTEM_DATABASES = Set.of("local", "admin", "config");

    /** Counts by "database.collection" or "database.table". */
    record Snapshot(Map<String, Long> counts) {

        int size() {
            return counts.size();
        }

        /** What changed since {@code before}: "name: before → now". */
        List<String> differencesFrom(Snapshot before) {
            List<String> differences = new ArrayList<>();
            Map<String, Long> all = new TreeMap<>(before.counts());
            counts.forEach(all::putIfAbsent);
            all.keySet().forEach(name -> {
                long was = before.counts().getOrDefault(name, 0L);
                long is = counts.getOrDefault(name, 0L);
                if (was != is) {
                    differences.add(name + ": " + was + " → " + is);
                }
            });
            return differences;
        }
    }

    private StoreCounts() {
    }

    static Snapshot of(LocalCluster cluster) {
        Stores.Endpoints stores = cluster.stores().endpoints();
        Map<String, Long> counts = new TreeMap<>();
        try (MongoClient mongo = MongoClients.create(stores.mongoUri())) {
            for (String name : mongo.listDatabaseNames()) {
                if (SYSTEM_DATABASES.contains(name)) {
                    continue;
                }
                MongoDatabase database = mongo.getDatabase(name);
                for (String collection : database.listCollectionNames()) {
                    counts.put(name + "." + collection, database.getCollection(collection).countDocuments());
                }
            }
        }
        for (String database : ServiceCatalog.postgresDatabases()) {
            try (Connection connection = DriverManager.getConnection(stores.postgresDatabaseUrl(database), stores.postgresUser(),
                    stores.postgresPassword()); Statement statement = connection.createStatement()) {
                List<String> tables = new ArrayList<>();
                try (ResultSet rs = statement.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                        + "AND table_type = 'BASE TABLE'")) {
                    while (rs.next()) {
                        tables.add(rs.getString(1));
                    }
                }
                for (String table : tables) {
                    try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM \"" + table + "\"")) {
                        rs.next();
                        counts.put(database + "." + table, rs.getLong(1));
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot count the rows of " + database + ": " + e.getMessage(), e);
            }
        }
        return new Snapshot(counts);
    }
}
