package dev.cairn.validator.mempool;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import dev.cairn.ledger.CanonicalJson;
import dev.cairn.platform.problem.ApiException;
import dev.cairn.testsupport.LedgerFixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a submitted transaction must be by itself, without any store: each refusal with the type the API answers. */
class TransactionChecksTest {

    private static final String REGISTER = "0123456789abcdef0123456789abcdef";
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final Duration SKEW = Duration.ofSeconds(30);
    private static final Duration MAX_AGE = Duration.ofHours(24);

    private final LedgerFixture client = new LedgerFixture();

    @Test
    void aWellFormedSignedTransactionPassesAndYieldsItsCanonicalText() {
        ObjectNode tx = client.action(REGISTER, 7);
        assertThat(TransactionChecks.record(tx, 100_000)).isEqualTo(CanonicalJson.string(tx));
    }

    @Test
    void aTransactionIsAJsonObject() {
        assertRefused(() -> TransactionChecks.record(LedgerFixture.JSON.createArrayNode(), 100_000), "invalid-transaction");
        assertRefused(() -> TransactionChecks.record(LedgerFixture.JSON.getNodeFactory().stringNode("tx"), 100_000), "invalid-transaction");
    }

    @Test
    void theSizeLimitIsOnTheCanonicalFormAndItsEdgeIsAllowed() {
        ObjectNode tx = client.action(REGISTER, 7);
        int size = CanonicalJson.string(tx).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        assertThat(TransactionChecks.record(tx, size)).isNotEmpty();
        assertRefused(() -> TransactionChecks.record(tx, size - 1), "transaction-too-large");
    }

    @Test
    void theRegisterIdMustHaveItsForm() {
        ObjectNode tx = client.action("not-a-register", 7);
        assertRefused(() -> TransactionChecks.record(tx, 100_000), "invalid-transaction");
        ObjectNode upper = client.action(REGISTER.toUpperCase(java.util.Locale.ROOT), 7);
        assertRefused(() -> TransactionChecks.record(upper, 100_000), "invalid-transaction");
    }

    @Test
    void aChangedTransactionOrSignatureIsRefused() {
        ObjectNode changed = client.action(REGISTER, 7);
        changed.put("payload", "changed after signing");
        assertRefused(() -> TransactionChecks.record(changed, 100_000), "invalid-transaction");
        ObjectNode unsigned = client.action(REGISTER, 8);
        unsigned.remove("signature");
        assertRefused(() -> TransactionChecks.record(unsigned, 100_000), "invalid-transaction");
    }

    @Test
    void genesisTransactionsAreTheValidatorsOwn() {
        assertRefused(() -> TransactionChecks.record(client.genesis(REGISTER, "someone"), 100_000), "invalid-transaction");
    }

    @Test
    void theSenderMustBeTheSigningKeysAddress() {
        ObjectNode tx = client.resign(client.action(REGISTER, 9).put("sender", new LedgerFixture().sender));
        assertRefused(() -> TransactionChecks.record(tx, 100_000), "sender-not-signer");
    }

    @Test
    void timingAllowsTheSkewAndTheAgeToTheirEdgeAndNoFurther() {
        TransactionChecks.timing(NOW.plus(SKEW), NOW, SKEW, MAX_AGE);
        TransactionChecks.timing(NOW.minus(MAX_AGE), NOW, SKEW, MAX_AGE);
        assertRefused(() -> TransactionChecks.timing(NOW.plus(SKEW).plusMillis(1), NOW, SKEW, MAX_AGE), "timestamp-in-future");
        assertRefused(() -> TransactionChecks.timing(NOW.minus(MAX_AGE).minusMillis(1), NOW, SKEW, MAX_AGE), "transaction-expired");
    }

    @Test
    void durationsReadAsPeopleWriteThem() {
        assertThat(TransactionChecks.human(Duration.ofHours(24))).isEqualTo("24h");
        assertThat(TransactionChecks.human(Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(TransactionChecks.human(Duration.ofMillis(100))).isEqualTo("0.1s");
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable check, String type) {
        assertThatThrownBy(check).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.getStatusCode().value()).isEqualTo(400);
            assertThat(String.valueOf(e.getBody().getType())).endsWith("/" + type);
        });
    }
}
