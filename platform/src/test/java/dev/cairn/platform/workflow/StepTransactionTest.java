package dev.cairn.platform.workflow;

import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.cairn.platform.crypto.WalletEncryption;
import dev.cairn.platform.problem.ApiException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A step's transaction as the blueprint service builds it, as its recipients open it, and as the validator checks it. */
class StepTransactionTest {

    private static final String REGISTER = "0123456789abcdef0123456789abcdef";
    private static final String BLUEPRINT = "fedcba9876543210fedcba9876543210";

    private final Workflow order = Samples.workflow("purchase-order");
    private final Map<String, Samples.Wallet> wallets = Samples.wallets(order);
    private final Samples.Wallet validator = Samples.Wallet.create();
    private final Map<String, Samples.Wallet> byAddress = new java.util.HashMap<>();

    StepTransactionTest() {
        wallets.values().forEach(w -> byAddress.put(w.address(), w));
        byAddress.put(validator.address(), validator);
    }

    private final StepTransaction.Encryptor encryptor = (address, plaintext) -> Base64.getEncoder()
            .encodeToString(WalletEncryption.encrypt("ED25519", byAddress.get(address).publicKey(), plaintext));

    private byte[] open(String address, String ciphertext) {
        Samples.Wallet wallet = byAddress.get(address);
        return WalletEncryption.decrypt("ED25519", wallet.privateKey(), wallet.publicKey(), Base64.getDecoder().decode(ciphertext));
    }

    private record Step(StepTransaction.Built built, InstanceState next) {
    }

    private Step first(String data) {
        InstanceState start = Engine.start(order, Samples.bindings(wallets));
        Instant at = Instant.now();
        Engine.Executed executed = Engine.execute(order, start, "0.0", Samples.data(data), at);
        StepTransaction.Context context = new StepTransaction.Context(REGISTER, BLUEPRINT, 1, "instance-1", null, start, null, validator.address());
        return new Step(StepTransaction.execution(context, executed, Samples.data(data), at, encryptor), executed.next());
    }

    private void check(JsonNode tx, JsonNode previous) {
        JsonNode copy = tx.path("payload").path("validatorCopy");
        StepTransaction.check(order, tx, StepTransaction.copy(open(copy.path("walletAddress").asString(), copy.path("ciphertext").asString())),
                previous);
    }

    @Test
    void eachRecipientOpensExactlyItsFieldsAndChecksThemAgainstTheCommitments() {
        ObjectNode tx = first("{\"item\":\"bolts\",\"quantity\":10,\"unitPrice\":150,\"note\":\"by Friday\"}").built().transaction();
        assertThat(tx.path("sender").asString()).isEqualTo(wallets.get("buyer").address());
        assertThat(tx.toString()).doesNotContain("bolts").doesNotContain("Friday");
        assertThat(tx.path("payload").path("disclosures").size()).as("a disclosure for each recipient").isGreaterThan(0);
        for (JsonNode disclosure : tx.path("payload").path("disclosures")) {
            Map<String, JsonNode> values = StepTransaction.openDisclosure(tx,
                    open(disclosure.path("walletAddress").asString(), disclosure.path("ciphertext").asString()));
            assertThat(values.keySet()).containsExactlyInAnyOrderElementsOf(() -> disclosure.path("pointers").values().stream().map(JsonNode::asString)
                    .iterator());
        }
        check(tx, null);
    }

    @Test
    void theValidatorRefusesAStepThatAltersACalculatedFieldSkipsAnActionOrIsSignedByAnotherWallet() {
        Step step = first("{\"item\":\"bolts\",\"quantity\":10,\"unitPrice\":150}");
        ObjectNode tx = step.built().transaction();

        ObjectNode altered = tx.deepCopy();
        ((ObjectNode) altered.path("payload").path("commitments")).put("/total", StepTransaction.commitment(new byte[32], "/total",
                Samples.JSON.getNodeFactory().numberNode(1)));
        assertThatThrownBy(() -> check(altered, null)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.getBody().getType().toString()).endsWith("/calculation-mismatch"));

        ObjectNode otherSender = tx.deepCopy().put("sender", wallets.get("supplier").address());
        assertThatThrownBy(() -> check(otherSender, null)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.getBody().getType().toString()).endsWith("/wrong-participant-wallet"));

        ObjectNode otherState = tx.deepCopy();
        ((ObjectNode) otherState.path("payload")).put("stateHash", "00".repeat(32));
        assertThatThrownBy(() -> check(otherState, null)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.getBody().getType().toString()).endsWith("/state-mismatch"));

        // the supplier confirms delivery without the order: no previous step, and not a starting action
        InstanceState start = Engine.start(order, Samples.bindings(wallets));
        InstanceState skipped = new InstanceState(InstanceState.ACTIVE, 0, start.participants(), start.data(),
                java.util.List.of(new InstanceState.Token("0.0", 2, null, null)), java.util.List.of(), java.util.List.of());
        Instant at = Instant.now();
        Engine.Executed delivered = Engine.execute(order, skipped, "0.0", Samples.data("{\"deliveryDate\":\"2026-12-24\"}"), at);
        StepTransaction.Context context = new StepTransaction.Context(REGISTER, BLUEPRINT, 1, "instance-2", null, skipped, null,
                validator.address());
        ObjectNode skipping = StepTransaction.execution(context, delivered, Samples.data("{\"deliveryDate\":\"2026-12-24\"}"), at, encryptor)
                .transaction();
        assertThatThrownBy(() -> check(skipping, null)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.getBody().getType().toString()).endsWith("/action-not-current"));
    }

    @Test
    void aLaterStepMustStartFromTheStateThePreviousStepCommittedTo() {
        Step placed = first("{\"item\":\"bolts\",\"quantity\":10,\"unitPrice\":150}");
        ObjectNode previous = placed.built().transaction().put("txId", "ab".repeat(32));
        Instant at = Instant.now();
        Engine.Executed delivered = Engine.execute(order, placed.next(), "1.0", Samples.data("{\"deliveryDate\":\"2026-12-24\"}"), at);
        StepTransaction.Context context = new StepTransaction.Context(REGISTER, BLUEPRINT, 1, "instance-1", "ab".repeat(32), placed.next(),
                placed.built().stateSalt(), validator.address());
        ObjectNode next = StepTransaction.execution(context, delivered, Samples.data("{\"deliveryDate\":\"2026-12-24\"}"), at, encryptor)
                .transaction();
        check(next, previous);

        StepTransaction.Context forged = new StepTransaction.Context(REGISTER, BLUEPRINT, 1, "instance-1", "ab".repeat(32), placed.next(),
                new byte[32], validator.address());
        ObjectNode forgedNext = StepTransaction.execution(forged, delivered, Samples.data("{\"deliveryDate\":\"2026-12-24\"}"), at, encryptor)
                .transaction();
        assertThatThrownBy(() -> check(forgedNext, previous)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.getBody().getType().toString()).endsWith("/prior-state-mismatch"));
    }
}
