package dev.cairn.validator.sealing;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.cairn.ledger.SealingKeys;
import dev.cairn.testsupport.LedgerFixture;
import dev.cairn.validator.mempool.Mempool;

import static org.assertj.core.api.Assertions.assertThat;

/** The choice of a docket's transactions, without any store. */
class DocketSelectionTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final DocketSelection.Limits LIMITS = new DocketSelection.Limits(1_000, Duration.ofHours(24));

    private final LedgerFixture fixture = new LedgerFixture();
    private final SealingKeys keys = SealingKeys.of(List.of(LedgerFixture.sealingKey(fixture.validatorKey())));
    private final Map<String, Mempool.Entry> previous = new HashMap<>();

    private static Mempool.Entry entry(String txId, String previousTxId, Instant timestamp, int padding) {
        String raw = "{\"type\":\"action\",\"timestamp\":\"" + timestamp + "\",\"pad\":\"" + "x".repeat(padding) + "\"}";
        return new Mempool.Entry(txId, "reg", Mempool.PENDING, raw, previousTxId, NOW.minusSeconds(1), null, null, null, null);
    }

    private static Mempool.Entry entry(String txId, String previousTxId) {
        return entry(txId, previousTxId, NOW.minusSeconds(5), 0);
    }

    private static Mempool.Entry decided(String txId, String status) {
        return new Mempool.Entry(txId, "reg", status, "{}", null, NOW.minusSeconds(60), null, null, NOW.minusSeconds(30), null);
    }

    private DocketSelection.Chosen choose(List<Mempool.Entry> pending, boolean atMost, List<String> sealedInRegister) {
        return choose(pending, atMost, sealedInRegister, LIMITS);
    }

    private DocketSelection.Chosen choose(List<Mempool.Entry> pending, boolean atMost, List<String> sealedInRegister, DocketSelection.Limits limits) {
        return DocketSelection.choose(pending, atMost, previous, keys, NOW, limits, sealedInRegister::contains, JSON);
    }

    @Test
    void everythingThatFitsInArrivalOrder() {
        DocketSelection.Chosen chosen = choose(List.of(entry("a", null), entry("b", null), entry("c", null)), false, List.of());
        assertThat(chosen.ids()).containsExactly("a", "b", "c");
        assertThat(chosen.transactions()).hasSize(3);
        assertThat(chosen.full()).as("fewer than a docket may hold").isFalse();
        assertThat(chosen.refusals()).isEmpty();
        assertThat(chosen.keysAfter()).isEqualTo(keys);
        assertThat(choose(List.of(entry("a", null)), true, List.of()).full()).as("as many as a docket may hold").isTrue();
    }

    @Test
    void theByteLimitEndsTheDocketButTheFirstTransactionAlwaysFits() {
        DocketSelection.Chosen chosen = choose(List.of(entry("a", null, NOW, 400), entry("b", null, NOW, 400), entry("c", null, NOW, 400)),
                false, List.of());
        assertThat(chosen.ids()).containsExactly("a", "b");
        assertThat(chosen.full()).as("the rest is for the next docket").isTrue();
        DocketSelection.Chosen alone = choose(List.of(entry("big", null, NOW, 5_000), entry("next", null)), false, List.of());
        assertThat(alone.ids()).containsExactly("big");
        assertThat(alone.full()).isTrue();
    }

    @Test
    void aTransactionTooOldToSealIsRefused() {
        Mempool.Entry old = entry("old", null, NOW.minus(Duration.ofHours(25)), 0);
        DocketSelection.Chosen chosen = choose(List.of(old, entry("b", null)), false, List.of());
        assertThat(chosen.ids()).containsExactly("b");
        assertThat(chosen.refusals()).singleElement().satisfies(r -> {
            assertThat(r.entry()).isEqualTo(old);
            assertThat(r.reason()).isEqualTo("expired: older than 24h before it could be sealed");
        });
    }

    @Test
    void aTransactionFollowsItsPreviousOneOrWaitsForIt() {
        assertThat(choose(List.of(entry("a", null), entry("b", "a")), false, List.of()).ids()).as("both in one docket, in order")
                .containsExactly("a", "b");
        previous.put("p", entry("p", null));
        DocketSelection.Chosen waiting = choose(List.of(entry("b", "p"), entry("c", null)), false, List.of());
        assertThat(waiting.ids()).as("its previous transaction is pending elsewhere: a later docket").containsExactly("c");
        assertThat(waiting.refusals()).isEmpty();
        assertThat(choose(List.of(entry("b", "s")), false, List.of("s")).ids()).as("the previous one is sealed in the register")
                .containsExactly("b");
    }

    @Test
    void aTransactionWhosePreviousOneCannotBeSealedIsRefused() {
        previous.put("r", decided("r", Mempool.REJECTED));
        DocketSelection.Chosen chosen = choose(List.of(entry("b", "r"), entry("c", "nowhere"), entry("d", null)), false, List.of());
        assertThat(chosen.ids()).containsExactly("d");
        assertThat(chosen.refusals()).extracting(DocketSelection.Refusal::reason).containsExactly(
                "the previous transaction r was rejected", "the previous transaction nowhere is not in this register");
    }

    @Test
    void keyChangesAreAppliedInOrderAndABadOneIsRefused() {
        byte[] next = LedgerFixture.newKey();
        String add = fixture.keyChange("reg", fixture.validatorKey(), List.of(next), List.of()).toString();
        Mempool.Entry adding = new Mempool.Entry("add", "reg", Mempool.PENDING, add, null, NOW, null, null, null, null);
        String empty = fixture.keyChange("reg", fixture.validatorKey(), List.of(), List.of(fixture.validatorKey(), next)).toString();
        Mempool.Entry emptying = new Mempool.Entry("empty", "reg", Mempool.PENDING, empty, null, NOW, null, null, null, null);
        DocketSelection.Chosen chosen = choose(List.of(adding, emptying, entry("c", null)), false, List.of(),
                new DocketSelection.Limits(100_000, Duration.ofHours(24)));
        assertThat(chosen.ids()).containsExactly("add", "c");
        assertThat(chosen.keysAfter().keys()).hasSize(2);
        assertThat(chosen.refusals()).singleElement().satisfies(r -> assertThat(r.entry()).isEqualTo(emptying));
    }

    @Test
    void nothingPendingMakesAnEmptyChoice() {
        DocketSelection.Chosen chosen = choose(List.of(), false, List.of());
        assertThat(chosen.ids()).isEmpty();
        assertThat(chosen.transactions()).isEmpty();
        assertThat(chosen.refusals()).isEmpty();
        assertThat(chosen.full()).isFalse();
        assertThat(chosen.keysAfter()).isEqualTo(keys);
    }

    @Test
    void aTransactionExactlyAsOldAsTheLimitIsStillSealed() {
        Mempool.Entry edge = entry("edge", null, NOW.minus(Duration.ofHours(24)), 0);
        Mempool.Entry past = entry("past", null, NOW.minus(Duration.ofHours(24)).minusMillis(1), 0);
        DocketSelection.Chosen chosen = choose(List.of(edge, past), false, List.of());
        assertThat(chosen.ids()).containsExactly("edge");
        assertThat(chosen.refusals()).extracting(DocketSelection.Refusal::entry).containsExactly(past);
    }

    @Test
    void aPreviousTransactionTheMempoolHasSealedIsFollowedAtOnce() {
        previous.put("s", decided("s", Mempool.SEALED));
        assertThat(choose(List.of(entry("b", "s")), false, List.of()).ids()).as("sealed already: nothing to wait for").containsExactly("b");
    }

    @Test
    void aSuccessorListedBeforeItsPreviousTransactionWaitsForTheNextDocket() {
        previous.put("a", entry("a", null));
        DocketSelection.Chosen chosen = choose(List.of(entry("b", "a"), entry("a", null)), false, List.of());
        assertThat(chosen.ids()).as("never before the transaction it follows").containsExactly("a");
        assertThat(chosen.refusals()).isEmpty();
    }
}
