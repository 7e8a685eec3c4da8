package dev.cairn.platform.lease;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import com.mongodb.client.MongoClient;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.mongodb.core.SimpleMongoClientDatabaseFactory;

import dev.cairn.platform.instance.InstanceIdentity;
import dev.cairn.testsupport.EmbeddedMongo;

import static org.assertj.core.api.Assertions.assertThat;

/** Leases on a real (embedded) MongoDB, with a clock the test moves. */
class LeasesIT {

    private static final Duration TTL = Duration.ofSeconds(5);
    private static final String REGISTER = "0123456789abcdef0123456789abcdef";

    private final MovableClock clock = new MovableClock();
    @AutoClose
    private final EmbeddedMongo mongo = new EmbeddedMongo();
    private final MongoClient client = mongo.client();
    private SimpleMongoClientDatabaseFactory databases;

    @BeforeEach
    void start() {
        databases = new SimpleMongoClientDatabaseFactory(client, "cairn");
    }

    @Test
    void oneHolderAtATimeAndATakeoverAfterExpiryRaisesTheEpoch() {
        Leases a = leases("a");
        Leases b = leases("b");
        Leases.Lease first = a.hold(REGISTER).orElseThrow();
        assertThat(first.epoch()).isEqualTo(1);
        assertThat(b.hold(REGISTER)).isEmpty();

        clock.advance(Duration.ofSeconds(2));
        assertThat(a.hold(REGISTER)).map(Leases.Lease::epoch).contains(1L); // renewed
        clock.advance(Duration.ofSeconds(4));
        assertThat(b.hold(REGISTER)).as("renewed 4 s ago with a 5 s TTL").isEmpty();

        clock.advance(Duration.ofSeconds(2)); // a stopped renewing 6 s ago
        assertThat(a.valid(first)).as("a stops writing before its lease runs out").isFalse();
        Optional<Leases.Lease> taken = b.hold(REGISTER);
        assertThat(taken).map(Leases.Lease::epoch).contains(2L);
        assertThat(a.hold(REGISTER)).as("the old holder does not get it back").isEmpty();
        assertThat(b.stored(REGISTER)).singleElement().satisfies(l -> assertThat(l.holder()).isEqualTo(b.holder()));
    }

    @Test
    void aLeaseHandedBackAtShutdownIsTakenAtOnce() {
        Leases a = leases("a");
        Leases b = leases("b");
        a.hold(REGISTER).orElseThrow();
        a.releaseAll();
        assertThat(b.hold(REGISTER)).map(Leases.Lease::epoch).contains(2L);
    }

    @Test
    void aHolderTheRegisterFoundStaleRaisesItsEpochAboveTheRegisters() {
        Leases a = leases("a");
        a.hold(REGISTER).orElseThrow();
        a.raiseAbove(REGISTER, 41);
        assertThat(a.hold(REGISTER)).map(Leases.Lease::epoch).contains(42L);
        assertThat(leases("b").hold(REGISTER)).isEmpty();
    }

    @Test
    void aRenewalRacingATakeoverLosesIt() {
        Leases a = leases("a");
        Leases b = leases("b");
        Leases.Lease first = a.hold(REGISTER).orElseThrow();
        clock.advance(Duration.ofSeconds(6));
        assertThat(b.hold(REGISTER)).map(Leases.Lease::epoch).contains(2L);
        assertThat(a.hold(REGISTER)).as("a's renewal names epoch 1, which is gone").isEmpty();
        assertThat(a.valid(first)).isFalse();
    }

    @Test
    void aRestartedReplicaWithTheSameIdIsAnotherHolder() {
        Leases before = leases("same");
        before.hold(REGISTER).orElseThrow();
        Leases after = leases("same");
        assertThat(after.holder()).isNotEqualTo(before.holder());
        assertThat(after.hold(REGISTER)).isEmpty();
    }

    private Leases leases(String id) {
        return new Leases(databases.getMongoDatabase().getCollection("leases"), TTL, Duration.ofSeconds(1),
                new InstanceIdentity("some-service", id, 0), clock);
    }

    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
