package dev.cairn.platform.health;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.mongodb.client.MongoClient;
import org.bson.Document;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * MongoDB health by {@code ping}, bounded in time. Boot's own indicator sends {@code hello},
 * which the embedded wire-protocol server lacks; {@code ping} is answered by both it and a real
 * replica set, and a stalled server turns the probe DOWN instead of hanging it.
 */
public class MongoPingHealthIndicator extends AbstractHealthIndicator {

    private final MongoClient client;
    private final Duration timeout;

    public MongoPingHealthIndicator(MongoClient client, Duration timeout) {
        super("MongoDB ping failed");
        this.client = client;
        this.timeout = timeout;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        client.getDatabase("admin")
                .withTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .runCommand(new Document("ping", 1));
        builder.up();
    }
}
