package dev.cairn.platform.health;

import java.time.Duration;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.testsupport.EmbeddedMongo;

/** The ping-based indicator against the embedded wire server, up and after it goes away. */
class MongoPingHealthIndicatorIT {

    @Test
    void upWhileTheServerAnswersDownSoonAfterItStops() {
        EmbeddedMongo server = new EmbeddedMongo();
        String uri = server.uri();
        try (MongoClient client = MongoClients.create(uri + "/?serverSelectionTimeoutMS=30000")) {
            MongoPingHealthIndicator indicator = new MongoPingHealthIndicator(client, Duration.ofMillis(700));
            assertThat(indicator.health(false).getStatus()).isEqualTo(Status.UP);

            server.kill();
            long started = System.nanoTime();
            Health health = indicator.health(false);
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(millis).as("the probe is bounded by its timeout, not the driver's 30 s").isLessThan(3000);
        } finally {
            server.kill();
        }
    }
}
