package dev.cairn.validator.mempool;

import java.time.Instant;
import java.util.List;

import com.mongodb.client.MongoClient;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.mongodb.core.SimpleMongoClientDatabaseFactory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.testsupport.EmbeddedMongo;

/** The mempool on a real (embedded) MongoDB. */
class MempoolIT {

    private static final String REGISTER = "0123456789abcdef0123456789abcdef";

    @AutoClose
    private final EmbeddedMongo mongo = new EmbeddedMongo();
    private final MongoClient client = mongo.client();
    private Mempool mempool;

    @BeforeEach
    void start() {
        mempool = new Mempool(new SimpleMongoClientDatabaseFactory(client, "cairn"));
    }

    @Test
    void aTransactionIsStoredOnceAndTheFirstCopyStays() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(mempool.insert(List.of(tx("a"), tx("b")), now)).isEmpty();
        assertThat(mempool.insert(List.of(tx("b"), tx("c"), tx("a")), now.plusSeconds(5))).containsExactlyInAnyOrder("a", "b");
        assertThat(mempool.insert(List.of(tx("c")), now.plusSeconds(9))).containsExactly("c");
        mempool.markSealed(REGISTER, List.of("c"), 1, now);
        assertThat(mempool.insert(List.of(tx("c")), now.plusSeconds(9))).as("sealed meanwhile: known, not pending again").containsExactly("c");
        assertThat(mempool.find("c").orElseThrow().status()).isEqualTo(Mempool.SEALED);
        assertThat(mempool.find(List.of("a", "c", "z"))).extracting(Mempool.Entry::status).containsExactlyInAnyOrder(Mempool.PENDING,
                Mempool.SEALED);
        assertThat(mempool.find("b").orElseThrow().receivedAt()).isEqualTo(now);
        assertThat(mempool.pending(REGISTER, 10)).extracting(Mempool.Entry::txId).containsExactly("a", "b");
        assertThat(mempool.registersWithPending()).containsExactly(REGISTER);
    }

    @Test
    void sealingAndRejectingHappenOnceAndOnlyFromPending() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        mempool.insert(List.of(tx("a"), tx("b")), now);
        Mempool.Entry a = mempool.find("a").orElseThrow();
        mempool.markSealed(REGISTER, List.of("a"), 4, now);
        assertThat(mempool.reject(a, "too late", now)).isFalse();
        assertThat(mempool.find("a").orElseThrow()).satisfies(e -> {
            assertThat(e.status()).isEqualTo(Mempool.SEALED);
            assertThat(e.height()).isEqualTo(4);
        });
        assertThat(mempool.reject(mempool.find("b").orElseThrow(), "expired", now)).isTrue();
        assertThat(mempool.find("b").orElseThrow().reason()).isEqualTo("expired");
        assertThat(mempool.pending(REGISTER, 10)).isEmpty();
        assertThat(mempool.registersWithPending()).isEmpty();
    }

    @Test
    void aTransactionHasOneSuccessorUntilTheSuccessorIsRejected() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(mempool.claimSuccessor("p", "x")).isEqualTo(new Mempool.Claim(true, null));
        assertThat(mempool.claimSuccessor("p", "x")).as("the same claim again").isEqualTo(new Mempool.Claim(false, null));
        assertThat(mempool.claimSuccessor("p", "y")).isEqualTo(new Mempool.Claim(false, "x"));

        mempool.insert(List.of(new Mempool.Accepted("x", REGISTER, "{}", "p")), now);
        mempool.reject(mempool.find("x").orElseThrow(), "expired", now);
        assertThat(mempool.claimSuccessor("p", "y")).as("x was rejected").isEqualTo(new Mempool.Claim(true, null));
        assertThat(mempool.claimSuccessor("p", "z")).isEqualTo(new Mempool.Claim(false, "y"));
        mempool.releaseSuccessor("p", "y");
        assertThat(mempool.claimSuccessor("p", "z")).isEqualTo(new Mempool.Claim(true, null));
    }

    private static Mempool.Accepted tx(String id) {
        return new Mempool.Accepted(id, REGISTER, "{\"id\":\"" + id + "\"}", null);
    }
}
