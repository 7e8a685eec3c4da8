package dev.cairn.testsupport;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * The MongoDB wire-protocol server inside the test's JVM (memory backend), on a free loopback
 * port: for a test that needs a MongoDB and nothing else, with a client connected to it.
 * {@link #close()} closes both (a field marked {@code @AutoClose} is closed after each test);
 * {@link #kill()} stops the server as a crash would.
 */
public final class EmbeddedMongo implements AutoCloseable {

    private final MongoServer server = new MongoServer(new MemoryBackend());
    private final String uri;
    private MongoClient client;

    public EmbeddedMongo() {
        this.uri = server.bindAndGetConnectionString();
    }

    /** A client of this server, made on first use and closed with it. */
    public synchronized MongoClient client() {
        if (client == null) {
            client = MongoClients.create(uri);
        }
        return client;
    }

    /** The connection string, {@code mongodb://127.0.0.1:<port>}. */
    public String uri() {
        return uri;
    }

    /** Stops at once: open connections are dropped, as when the server dies. */
    public void kill() {
        server.shutdownNow();
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
        }
        server.shutdown();
    }
}
