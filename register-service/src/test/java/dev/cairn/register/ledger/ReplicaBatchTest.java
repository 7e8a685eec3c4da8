package dev.cairn.register.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import dev.cairn.ledger.LedgerHashes;
import dev.cairn.ledger.MerkleTree;
import dev.cairn.ledger.ObjectIds;
import dev.cairn.testsupport.LedgerFixture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-memory check of a replica's batch, without stores: a chain built as a home validator
 * seals it (genesis, dockets, a key rotation) passes whole or in parts, with the trust after each
 * docket what the chain says; any changed record, foreign signer, other genesis, broken link or
 * head that does not match fails at its height.
 */
class ReplicaBatchTest {

    private static final int MAX_TRANSACTIONS = 10_000;

    private final LedgerFixture fixture = new LedgerFixture();
    private final String registerId = ObjectIds.next();
    private final byte[] rotated = LedgerFixture.newKey();
    /** The home's chain: genesis, two dockets, a key change to {@link #rotated} at height 3, a docket signed by it. */
    private final List<ObjectNode> chain = new ArrayList<>();
    private final List<String> hashes = new ArrayList<>();

    @BeforeEach
    void homeChain() {
        seal(0, List.of(fixture.genesis(registerId, "org-" + UUID.randomUUID())), fixture.validatorKey());
        seal(1, List.of(fixture.action(registerId, 1), fixture.action(registerId, 2)), fixture.validatorKey());
        seal(2, List.of(fixture.action(registerId, 3)), fixture.validatorKey());
        seal(3, List.of(fixture.action(registerId, 4), fixture.keyChange(registerId, fixture.validatorKey(), List.of(rotated),
                List.of(fixture.validatorKey()))), fixture.validatorKey());
        seal(4, List.of(fixture.action(registerId, 5)), rotated);
    }

    private void seal(long height, List<ObjectNode> transactions, byte[] signer) {
        ObjectNode body = fixture.docket(registerId, height, height == 0 ? LedgerHashes.GENESIS_PREVIOUS_HASH : hashes.get((int) height - 1),
                transactions, signer);
        chain.add(body);
        hashes.add(LedgerFixture.hash(body));
    }

    @Test
    void theWholeChainPassesWithTheTrustAfterEachDocketThatTheChainSays() {
        ReplicaBatch.Result result = check(ReplicaBatch.Latest.NONE, chain, null);
        assertThat(result.ok()).as(result.reason()).isTrue();
        assertThat(result.head()).isEqualTo(ReplicaBatch.Head.NONE);
        assertThat(result.dockets()).hasSize(5);
        for (int h = 0; h < 5; h++) {
            DocketWriter.Sealed sealed = result.dockets().get(h);
            assertThat(sealed.after().height()).isEqualTo(h);
            assertThat(sealed.after().rootHash()).isEqualTo(root(h + 1));
            assertThat(sealed.txIds()).isEqualTo(LedgerRecords.strings(chain.get(h).path("docket").path("transactionIds")));
        }
        assertThat(result.dockets().get(2).after().keys().keys()).containsExactly(LedgerFixture.sealingKey(fixture.validatorKey()));
        assertThat(result.dockets().get(3).keyChanges()).hasSize(1);
        assertThat(result.dockets().get(3).after().keys().keys()).containsExactly(LedgerFixture.sealingKey(rotated));
    }

    @Test
    void aBatchFollowingStoredDocketsStartsFromTheTrustAfterTheLatest() {
        ReplicaBatch.Result firstPart = check(ReplicaBatch.Latest.NONE, chain.subList(0, 3), null);
        DocketTrust.After after = firstPart.dockets().get(2).after();
        ReplicaBatch.Result rest = check(new ReplicaBatch.Latest(2, hashes.get(2), after), chain.subList(3, 5), null);
        assertThat(rest.ok()).as(rest.reason()).isTrue();
        assertThat(rest.dockets().get(1).after().rootHash()).isEqualTo(root(5));

        ReplicaBatch.Result gap = check(new ReplicaBatch.Latest(2, hashes.get(2), after), chain.subList(4, 5), null);
        assertThat(gap.failedHeight()).isEqualTo(3);
        assertThat(gap.reason()).contains("another register or height");
    }

    @Test
    void aChangedTransactionFailsAtItsDocket() {
        List<ObjectNode> tampered = copy();
        ((ObjectNode) tampered.get(2).path("transactions").get(0).path("payload")).put("amount", 1_000);
        ReplicaBatch.Result result = check(ReplicaBatch.Latest.NONE, tampered, null);
        assertThat(result.ok()).isFalse();
        assertThat(result.failedHeight()).isEqualTo(2);
        assertThat(result.reason()).contains("does not match its content");
        assertThat(result.dockets()).isEmpty();
    }

    @Test
    void transactionsMissingOrOutOfOrderFail() {
        List<ObjectNode> reordered = copy();
        var transactions = (tools.jackson.databind.node.ArrayNode) reordered.get(1).path("transactions");
        var first = transactions.remove(0);
        transactions.add(first);
        assertThat(check(ReplicaBatch.Latest.NONE, reordered, null).reason()).contains("missing or out of order");

        List<ObjectNode> missing = copy();
        ((tools.jackson.databind.node.ArrayNode) missing.get(1).path("transactions")).remove(1);
        ReplicaBatch.Result result = check(ReplicaBatch.Latest.NONE, missing, null);
        assertThat(result.failedHeight()).isEqualTo(1);
        assertThat(result.reason()).contains("lists 2 transactions");
    }

    @Test
    void aDocketSignedByAKeyNotInForceFails() {
        List<ObjectNode> batch = copy();
        ObjectNode stranger = fixture.docket(registerId, 2, hashes.get(1), List.of(fixture.action(registerId, 9)), LedgerFixture.newKey());
        batch.set(2, stranger);
        ReplicaBatch.Result result = check(ReplicaBatch.Latest.NONE, batch.subList(0, 3), null);
        assertThat(result.failedHeight()).isEqualTo(2);
        assertThat(result.reason()).contains("not signed by a sealing key");

        // after the rotation the old key is retired
        ObjectNode byRetired = fixture.docket(registerId, 4, hashes.get(3), List.of(fixture.action(registerId, 9)), fixture.validatorKey());
        batch = copy();
        batch.set(4, byRetired);
        assertThat(check(ReplicaBatch.Latest.NONE, batch, null).failedHeight()).isEqualTo(4);
    }

    @Test
    void aKeyChangeNotSignedByAKeyInForceFails() {
        List<ObjectNode> batch = new ArrayList<>(copy().subList(0, 3));
        byte[] stranger = LedgerFixture.newKey();
        batch.add(fixture.docket(registerId, 3, hashes.get(2), List.of(fixture.keyChange(registerId, stranger, List.of(stranger), List.of())),
                fixture.validatorKey()));
        ReplicaBatch.Result result = check(ReplicaBatch.Latest.NONE, batch, null);
        assertThat(result.failedHeight()).isEqualTo(3);
        assertThat(result.reason()).contains("is not signed by a sealing key");
    }

    @Test
    void aGenesisOtherThanThePinnedOneFails() {
        ReplicaBatch.Result result = ReplicaBatch.check(registerId, ReplicaBatch.Latest.NONE, entries(chain), "ab".repeat(32), MAX_TRANSACTIONS,
                Map.of(), null);
        assertThat(result.failedHeight()).isZero();
        assertThat(result.reason()).contains("pinned");
    }

    @Test
    void aBrokenLinkOrAnotherRegistersDocketFails() {
        List<ObjectNode> batch = new ArrayList<>(copy().subList(0, 2));
        batch.add(fixture.docket(registerId, 2, hashes.get(0), List.of(fixture.action(registerId, 9))));
        assertThat(check(ReplicaBatch.Latest.NONE, batch, null).reason()).contains("previousHash");

        String other = ObjectIds.next();
        batch = new ArrayList<>(copy().subList(0, 2));
        batch.add(fixture.docket(other, 2, hashes.get(1), List.of(fixture.action(other, 9))));
        assertThat(check(ReplicaBatch.Latest.NONE, batch, null).failedHeight()).isEqualTo(2);
    }

    @Test
    void aTransactionSealedBeforeOrTwiceInTheBatchFails() {
        String txId = chain.get(1).path("transactions").get(0).path("txId").asString();
        ReplicaBatch.Result sealed = ReplicaBatch.check(registerId, ReplicaBatch.Latest.NONE, entries(chain), hashes.get(0), MAX_TRANSACTIONS,
                Map.of(txId, 7L), null);
        assertThat(sealed.failedHeight()).isEqualTo(1);
        assertThat(sealed.reason()).contains("already sealed at height 7");
        ReplicaBatch.Result meanwhile = ReplicaBatch.check(registerId, ReplicaBatch.Latest.NONE, entries(chain), hashes.get(0), MAX_TRANSACTIONS,
                Map.of(txId, 1L), null);
        assertThat(meanwhile.ok()).as("sealed at its own height by a concurrent write of the same docket: storing decides").isTrue();

        List<ObjectNode> batch = new ArrayList<>(copy().subList(0, 2));
        batch.add(fixture.docket(registerId, 2, hashes.get(1), List.of((ObjectNode) chain.get(1).path("transactions").get(0).deepCopy())));
        ReplicaBatch.Result twice = check(ReplicaBatch.Latest.NONE, batch, null);
        assertThat(twice.failedHeight()).isEqualTo(2);
        assertThat(twice.reason()).contains("earlier docket of the batch");
    }

    @Test
    void theHeadIsCheckedWhenItEndsInTheBatch() {
        // signed by the key in force after its last docket (the rotated one) or at it
        ObjectNode head = LedgerFixture.head(registerId, hashes.subList(0, 4), rotated);
        assertThat(check(ReplicaBatch.Latest.NONE, chain, head).head()).isEqualTo(ReplicaBatch.Head.CHECKED);
        head = LedgerFixture.head(registerId, hashes.subList(0, 4), fixture.validatorKey());
        assertThat(check(ReplicaBatch.Latest.NONE, chain, head).head()).isEqualTo(ReplicaBatch.Head.CHECKED);
        head = LedgerFixture.head(registerId, hashes, fixture.validatorKey());
        ReplicaBatch.Result retired = check(ReplicaBatch.Latest.NONE, chain, head);
        assertThat(retired.failedHeight()).isEqualTo(4);
        assertThat(retired.reason()).contains("not signed by a sealing key");

        List<String> forked = new ArrayList<>(hashes.subList(0, 3));
        forked.set(1, "cd".repeat(32));
        ReplicaBatch.Result wrongRoot = check(ReplicaBatch.Latest.NONE, chain, LedgerFixture.head(registerId, forked, fixture.validatorKey()));
        assertThat(wrongRoot.ok()).isFalse();
        assertThat(wrongRoot.failedHeight()).isEqualTo(2);
        assertThat(wrongRoot.reason()).contains("does not match the chain");
        assertThat(wrongRoot.dockets()).isEmpty();

        ObjectNode unsigned = LedgerFixture.head(registerId, hashes.subList(0, 2), fixture.validatorKey());
        unsigned.put("timestamp", "2020-01-01T00:00:00Z");
        assertThat(check(ReplicaBatch.Latest.NONE, chain, unsigned).reason()).contains("signed tree head").contains("does not verify");
    }

    @Test
    void aHeadBeyondTheBatchIsIgnoredAndOneEndingBeforeItIsLeftToTheStoredChain() {
        ObjectNode whole = LedgerFixture.head(registerId, hashes, rotated);
        assertThat(check(ReplicaBatch.Latest.NONE, chain.subList(0, 3), whole).head()).isEqualTo(ReplicaBatch.Head.BEYOND);

        ReplicaBatch.Result firstPart = check(ReplicaBatch.Latest.NONE, chain.subList(0, 3), null);
        ReplicaBatch.Latest latest = new ReplicaBatch.Latest(2, hashes.get(2), firstPart.dockets().get(2).after());
        ObjectNode early = LedgerFixture.head(registerId, hashes.subList(0, 2), fixture.validatorKey());
        assertThat(check(latest, chain.subList(3, 5), early).head()).isEqualTo(ReplicaBatch.Head.STORED);
        assertThat(check(latest, List.of(), early).head()).isEqualTo(ReplicaBatch.Head.STORED);
    }

    private ReplicaBatch.Result check(ReplicaBatch.Latest latest, List<ObjectNode> batch, ObjectNode head) {
        return ReplicaBatch.check(registerId, latest, entries(batch), hashes.get(0), MAX_TRANSACTIONS, Map.of(), head);
    }

    private static List<ReplicaBatch.Entry> entries(List<ObjectNode> batch) {
        return batch.stream().map(b -> new ReplicaBatch.Entry(b.path("docket"), b.path("transactions"))).toList();
    }

    private List<ObjectNode> copy() {
        List<ObjectNode> copy = new ArrayList<>();
        chain.forEach(b -> copy.add(b.deepCopy()));
        return copy;
    }

    private String root(int size) {
        return LedgerHashes.hex(MerkleTree.root(hashes.subList(0, size).stream().map(LedgerHashes::bytes).toList()));
    }
}
