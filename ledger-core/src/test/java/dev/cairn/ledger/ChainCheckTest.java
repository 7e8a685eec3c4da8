package dev.cairn.ledger;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

class ChainCheckTest {

    private final TestChain.Signer sealer = TestChain.Signer.seed(1);
    private final TestChain.Signer next = TestChain.Signer.seed(2);
    private final TestChain.Signer stranger = TestChain.Signer.seed(3);

    @Test
    void aChainSealedByItsPinnedKeyVerifiesWithItsSignedHead() {
        TestChain chain = TestChain.genesis(sealer).actions(sealer, 1, 2).actions(sealer, 3);
        ChainCheck.Result result = TestChain.verify(chain.lines(chain.head(sealer, 3)));
        assertThat(result.ok()).as(result.reason()).isTrue();
        assertThat(result.dockets()).isEqualTo(3);
        assertThat(result.transactions()).isEqualTo(4);
        assertThat(result.genesisHash()).isEqualTo(chain.genesisHash());
        assertThat(result.genesisKeys().ids()).containsExactly(sealer.key().id());
        assertThat(TestChain.verify(chain.lines(null), chain.genesisHash(), SealingKeys.of(List.of(sealer.key()))).ok()).isTrue();
    }

    @Test
    void aDocketSignedByAnyOtherKeyIsFoundAtItsHeight() {
        TestChain chain = TestChain.genesis(sealer).actions(sealer, 1).actions(stranger, 2).actions(sealer, 3);
        ChainCheck.Result result = TestChain.verify(chain.lines(null));
        assertThat(result.ok()).isFalse();
        assertThat(result.height()).isEqualTo(2);
        assertThat(result.reason()).contains("not signed by a sealing key").contains(stranger.key().id());
    }

    @Test
    void aRewrittenHistoryResignedWithAFreshKeyIsFoundWhereItBegins() {
        TestChain honest = TestChain.genesis(sealer).actions(sealer, 1).actions(sealer, 2).actions(sealer, 3);
        ObjectNode honestHead = honest.head(sealer, 4);
        // the attacker keeps the genesis, changes the transaction at height 2 and re-seals from there with a key of their own
        TestChain forged = new TestChain();
        forged.blocks.add(honest.blocks.get(0));
        forged.blocks.add(honest.blocks.get(1));
        forged.actions(stranger, 999).actions(stranger, 3);
        ChainCheck.Result result = TestChain.verify(forged.lines(null));
        assertThat(result.ok()).isFalse();
        assertThat(result.height()).isEqualTo(2);
        // even re-sealed with the register's own key, the forged chain does not fit a head signed before the rewrite
        ChainCheck.Result insider = TestChain.verify(forgedWithHonestGenesisSigner(honest, honestHead));
        assertThat(insider.ok()).isFalse();
        assertThat(insider.reason()).contains("another history");

        // rewriting the genesis too yields a chain that checks on its own, but not against the genesis the reader trusts
        TestChain whole = TestChain.genesis(stranger).actions(stranger, 1).actions(stranger, 999);
        assertThat(TestChain.verify(whole.lines(null)).ok()).isTrue();
        ChainCheck.Result pinned = TestChain.verify(whole.lines(null), honest.genesisHash(), null);
        assertThat(pinned.ok()).isFalse();
        assertThat(pinned.height()).isZero();
        assertThat(pinned.reason()).contains("not the trusted " + honest.genesisHash());
        ChainCheck.Result keyed = TestChain.verify(whole.lines(null), null, SealingKeys.of(List.of(sealer.key())));
        assertThat(keyed.ok()).isFalse();
        assertThat(keyed.height()).isZero();
        assertThat(keyed.reason()).contains("not among the trusted keys");
    }

    private List<String> forgedWithHonestGenesisSigner(TestChain honest, ObjectNode honestHead) {
        TestChain forged = new TestChain();
        forged.blocks.addAll(honest.blocks.subList(0, 2));
        forged.actions(sealer, 999).actions(sealer, 3);
        List<String> lines = forged.lines(null);
        lines.add(TestChain.line("head", honestHead));
        return lines;
    }

    @Test
    void aKeyChangeHandsSealingToTheNewKeyFromTheNextHeight() {
        TestChain chain = TestChain.genesis(sealer).actions(sealer, 1);
        chain.seal(sealer, List.of(chain.keyChange(sealer, List.of(next), List.of(sealer))));
        chain.actions(next, 2).actions(next, 3);
        ChainCheck.Result result = TestChain.verify(chain.lines(chain.head(next, 5)));
        assertThat(result.ok()).as(result.reason()).isTrue();
        assertThat(result.sealingKeys().ids()).containsExactly(next.key().id());
        assertThat(result.genesisKeys().ids()).containsExactly(sealer.key().id());

        TestChain retiredKeySeals = TestChain.genesis(sealer).actions(sealer, 1);
        retiredKeySeals.seal(sealer, List.of(retiredKeySeals.keyChange(sealer, List.of(next), List.of(sealer))));
        retiredKeySeals.actions(next, 2).actions(sealer, 3);
        ChainCheck.Result retired = TestChain.verify(retiredKeySeals.lines(null));
        assertThat(retired.ok()).isFalse();
        assertThat(retired.height()).isEqualTo(4);

        TestChain tooEarly = TestChain.genesis(sealer).actions(sealer, 1);
        tooEarly.seal(next, List.of(tooEarly.keyChange(sealer, List.of(next), List.of(sealer))));
        assertThat(TestChain.verify(tooEarly.lines(null)).height()).as("the docket sealing a change is still signed under the old keys")
                .isEqualTo(2);

        TestChain untrusted = TestChain.genesis(sealer).actions(sealer, 1);
        untrusted.seal(sealer, List.of(untrusted.keyChange(sealer, List.of(next), List.of())));
        ChainCheck.Result outside = TestChain.verify(untrusted.lines(null), null, SealingKeys.of(List.of(sealer.key())));
        assertThat(outside.height()).isEqualTo(2);
        assertThat(outside.reason()).contains("adds sealing key " + next.key().id());
    }

    @Test
    void aKeyChangeMustBeSignedByASealingKeyAndLeaveOne() {
        TestChain notBySealer = TestChain.genesis(sealer).actions(sealer, 1);
        notBySealer.seal(sealer, List.of(notBySealer.keyChange(stranger, List.of(stranger), List.of(sealer))));
        ChainCheck.Result result = TestChain.verify(notBySealer.lines(null));
        assertThat(result.height()).isEqualTo(2);
        assertThat(result.reason()).contains("not signed by a sealing key");

        TestChain emptied = TestChain.genesis(sealer);
        emptied.seal(sealer, List.of(emptied.keyChange(sealer, List.of(), List.of(sealer))));
        assertThat(TestChain.verify(emptied.lines(null)).reason()).contains("without a sealing key");
    }

    @Test
    void aHeadMustBeSignedByASealingKeyAndMatchTheChain() {
        TestChain chain = TestChain.genesis(sealer).actions(sealer, 1).actions(sealer, 2);
        assertThat(TestChain.verify(chain.lines(chain.head(sealer, 2))).ok()).isTrue();
        ChainCheck.Result foreign = TestChain.verify(chain.lines(chain.head(stranger, 3)));
        assertThat(foreign.ok()).isFalse();
        assertThat(foreign.reason()).contains("tree head is not signed by a sealing key");

        ObjectNode head = chain.head(sealer, 3);
        List<String> truncated = new ArrayList<>(chain.lines(null).subList(0, 5)); // dockets 0 and 1 only
        truncated.add(TestChain.line("head", head));
        ChainCheck.Result missing = TestChain.verify(truncated);
        assertThat(missing.height()).isEqualTo(2);
        assertThat(missing.reason()).contains("docket 2 is missing");
    }

    @Test
    void aLegacyGenesisWithoutPinnedKeysPinsTheKeyThatSignedItsDocket() {
        TestChain chain = new TestChain();
        ObjectNode genesis = chain.transaction("genesis", TestChain.JSON.createObjectNode().put("owner", "org-1"), sealer);
        chain.seal(sealer, List.of(genesis)).actions(sealer, 1);
        assertThat(TestChain.verify(chain.lines(null)).ok()).isTrue();
        chain.actions(stranger, 2);
        assertThat(TestChain.verify(chain.lines(null)).height()).isEqualTo(2);
    }
}
