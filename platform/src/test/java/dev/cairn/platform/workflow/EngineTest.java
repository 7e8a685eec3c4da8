package dev.cairn.platform.workflow;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.cairn.platform.problem.ApiException;
import dev.cairn.platform.workflow.InstanceState.Token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Steps of the sample workflows, as the blueprint service runs them and the validator replays them. */
class EngineTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private final Workflow order = Samples.workflow("purchase-order");
    private final Workflow loan = Samples.workflow("loan");
    private final Workflow permit = Samples.workflow("permit");

    @Test
    void calculationsRunInOrderAndTheFirstTrueConditionOrElseTheDefaultRouteIsTaken() {
        InstanceState start = Engine.start(order, Samples.bindings(Samples.wallets(order)));
        assertThat(start.open()).extracting(Token::actionId).containsExactly(0);

        Engine.Executed small = Engine.execute(order, start, "0.0", Samples.data("{\"item\":\"bolts\",\"quantity\":10,\"unitPrice\":150}"), T0);
        assertThat(small.calculations().toString()).isEqualTo("{\"subtotal\":1500,\"discount\":150,\"total\":1350}");
        assertThat(small.route().id()).isEqualTo("standard");
        assertThat(small.next().open()).extracting(Token::actionId).containsExactly(2);
        assertThat(small.next().data().path("total").asLong()).isEqualTo(1350);
        assertThat(small.stepData().path("item").asString()).isEqualTo("bolts");

        Engine.Executed large = Engine.execute(order, start, "0.0", Samples.data("{\"item\":\"beams\",\"quantity\":100,\"unitPrice\":150}"), T0);
        assertThat(large.calculations().path("total").asLong()).isEqualTo(13500);
        assertThat(large.route().id()).isEqualTo("needs-approval");
        Token approval = large.next().open().get(0);
        assertThat(approval.actionId()).isEqualTo(1);
        assertThat(approval.id()).isEqualTo("1.0");

        Engine.Executed declined = Engine.execute(order, large.next(), approval.id(), Samples.data("{\"approved\":false}"), T0);
        assertThat(declined.route().id()).isEqualTo("declined");
        assertThat(declined.next().status()).isEqualTo(InstanceState.COMPLETED);
        assertThat(declined.next().open()).isEmpty();
    }

    @Test
    void dataOutsideTheSchemaIsRefusedWithAPointerToEachProblem() {
        InstanceState start = Engine.start(order, Samples.bindings(Samples.wallets(order)));
        assertThatThrownBy(() -> Engine.execute(order, start, "0.0", Samples.data("{\"item\":\"\",\"quantity\":0}"), T0))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getBody().getType().toString()).endsWith("/data-does-not-conform");
                    @SuppressWarnings("unchecked")
                    List<Problem> errors = (List<Problem>) e.getBody().getProperties().get("errors");
                    assertThat(errors).extracting(Problem::pointer).contains("/item", "/quantity", "/unitPrice");
                });
        assertThatThrownBy(() -> Engine.execute(order, start, "0.0", Samples.JSON.readTree("[1]"), T0)).isInstanceOf(ApiException.class)
                .hasMessageContaining("JSON object");
        assertThatThrownBy(() -> Engine.execute(order, start, "9.9", Samples.data("{}"), T0)).isInstanceOf(ApiException.class)
                .hasMessageContaining("not one the instance waits for");
    }

    @Test
    void parallelBranchesJoinOnceEveryBranchThatCanStillReachTheJoinHasArrived() {
        InstanceState start = Engine.start(loan, Samples.bindings(Samples.wallets(loan)));
        Engine.Executed applied = Engine.execute(loan, start, "0.0",
                Samples.data("{\"amount\":20000,\"termMonths\":24,\"annualIncome\":60000}"), T0);
        assertThat(applied.calculations().toString()).isEqualTo("{\"monthlyPayment\":875,\"debtRatio\":0.175}");
        assertThat(applied.next().open()).extracting(Token::actionId).containsExactly(1, 2);
        assertThat(applied.next().open()).extracting(Token::branch).containsExactly("checks-branch-0", "checks-branch-1");
        assertThat(applied.next().open()).extracting(Token::deadline).containsOnly(T0.plus(Duration.ofDays(7)));

        Token credit = applied.next().open().get(0);
        Token affordability = applied.next().open().get(1);
        Engine.Executed checked = Engine.execute(loan, applied.next(), affordability.id(), Samples.data("{\"employmentVerified\":true}"), T0);
        assertThat(checked.calculations().path("affordable").asBoolean()).isTrue();
        assertThat(checked.next().open()).extracting(Token::actionId).containsExactly(1);
        assertThat(checked.next().waiting()).extracting(Token::actionId).containsExactly(3);
        assertThat(checked.opened()).isEmpty();

        Engine.Executed scored = Engine.execute(loan, checked.next(), credit.id(), Samples.data("{\"creditScore\":720}"), T0);
        assertThat(scored.calculations().path("riskBand").asString()).isEqualTo("low");
        assertThat(scored.next().waiting()).isEmpty();
        assertThat(scored.opened()).extracting(Token::actionId).containsExactly(3);
        Token decide = scored.opened().get(0);
        assertThat(decide.branch()).as("the branches joined onto the main line").isNull();
        assertThat(decide.deadline()).isNull();

        Engine.Executed decided = Engine.execute(loan, scored.next(), decide.id(), Samples.data("{\"decision\":\"approve\"}"), T0);
        assertThat(decided.calculations().toString()).as("calculations over the data of earlier actions")
                .isEqualTo("{\"rate\":4.5,\"totalRepayable\":21800}");
        assertThat(decided.route().id()).isEqualTo("offer");
        Engine.Executed accepted = Engine.execute(loan, decided.next(), decided.opened().get(0).id(), Samples.data("{\"accepted\":true}"), T0);
        assertThat(accepted.next().status()).isEqualTo(InstanceState.COMPLETED);
        assertThat(accepted.next().executed()).containsExactly(0, 2, 1, 3, 5);
    }

    @Test
    void aBranchThatTakesALongerWayIsWaitedFor() {
        InstanceState start = Engine.start(loan, Samples.bindings(Samples.wallets(loan)));
        InstanceState applied = Engine.execute(loan, start, "0.0", Samples.data("{\"amount\":20000,\"termMonths\":24,\"annualIncome\":60000}"),
                T0).next();
        InstanceState lowScore = Engine.execute(loan, applied, applied.open().get(0).id(), Samples.data("{\"creditScore\":550}"), T0).next();
        assertThat(lowScore.open()).extracting(Token::actionId).containsExactly(2, 4);
        InstanceState affordable = Engine.execute(loan, lowScore, Engine.token(lowScore, 2, null).id(),
                Samples.data("{\"employmentVerified\":true}"), T0).next();
        assertThat(affordable.waiting()).as("manual review can still lead to the decision").extracting(Token::actionId).containsExactly(3);
        InstanceState reviewed = Engine.execute(loan, affordable, Engine.token(affordable, 4, null).id(), Samples.data("{\"reviewNote\":\"ok\"}"),
                T0).next();
        assertThat(reviewed.open()).extracting(Token::actionId).containsExactly(3);
        Engine.Executed declined = Engine.execute(loan, reviewed, reviewed.open().get(0).id(), Samples.data("{\"decision\":\"approve\"}"), T0);
        assertThat(declined.calculations().path("rate").asDouble()).isEqualTo(9.5);
    }

    @Test
    void aBranchPastItsDeadlineTimesTheInstanceOutAndCannotAct() {
        InstanceState start = Engine.start(loan, Samples.bindings(Samples.wallets(loan)));
        InstanceState applied = Engine.execute(loan, start, "0.0", Samples.data("{\"amount\":20000,\"termMonths\":24,\"annualIncome\":60000}"),
                T0).next();
        Instant late = T0.plus(Duration.ofDays(8));
        assertThat(Engine.timedOut(applied, T0.plus(Duration.ofDays(6)))).isFalse();
        assertThat(Engine.timedOut(applied, late)).isTrue();
        assertThatThrownBy(() -> Engine.execute(loan, applied, applied.open().get(0).id(), Samples.data("{\"creditScore\":720}"), late))
                .isInstanceOf(ApiException.class).hasMessageContaining("deadline");
    }

    @Test
    void aNonTerminalRejectionSendsTheWorkBackAndRejectionsFollowTheConfig() {
        InstanceState start = Engine.start(permit, Samples.bindings(Samples.wallets(permit)));
        Engine.Executed submitted = Engine.execute(permit, start, "0.0", Samples.data("{\"site\":\"12 High St\",\"storeys\":2,\"floorArea\":120}"),
                T0);
        assertThat(submitted.calculations().path("fee").asLong()).isEqualTo(450);
        Token review = submitted.next().open().get(0);
        assertThatThrownBy(() -> Engine.reject(permit, submitted.next(), review.id(), " ", null, T0)).isInstanceOf(ApiException.class)
                .hasMessageContaining("needs a reason");
        assertThatThrownBy(() -> Engine.reject(permit, submitted.next(), review.id(), "no", null, T0)).isInstanceOf(ApiException.class)
                .hasMessageContaining("rejectionSchema");
        Engine.Rejected rejected = Engine.reject(permit, submitted.next(), review.id(), "Floor area exceeds the plot ratio",
                Samples.data("{\"floorArea\":\"at most 100\"}"), T0);
        assertThat(rejected.next().status()).isEqualTo(InstanceState.ACTIVE);
        assertThat(rejected.next().open()).extracting(Token::actionId).containsExactly(0);
        assertThat(Engine.targetParticipant(permit, rejected.config())).isEqualTo("applicant");
        assertThat(Engine.recipients(permit, rejected)).extracting(Engine.Recipient::participantId).containsExactly("council", "applicant");

        Token resubmit = rejected.next().open().get(0);
        Engine.Executed again = Engine.execute(permit, rejected.next(), resubmit.id(), Samples.data("{\"site\":\"12 High St\",\"storeys\":2,"
                + "\"floorArea\":95}"), T0);
        assertThat(again.next().data().path("floorArea").asInt()).isEqualTo(95);
        assertThatThrownBy(() -> Engine.reject(permit, again.next(), again.next().open().get(0).id(), null, null, T0))
                .hasMessageContaining("needs a reason");
        Token approve = again.next().open().get(0);
        InstanceState approved = Engine.execute(permit, again.next(), approve.id(), Samples.data("{\"compliant\":true}"), T0).next();
        assertThatThrownBy(() -> Engine.reject(permit, approved, approved.open().get(0).id(), "too late", null, T0))
                .isInstanceOf(ApiException.class).hasMessageContaining("no rejectionConfig");
    }

    @Test
    void eachRecipientGetsWhatTheDisclosuresGiveAndTheSenderEverythingUnlessNamed() {
        Map<String, String> bound = Samples.bindings(Samples.wallets(order));
        InstanceState start = Engine.start(order, bound);
        Engine.Executed placed = Engine.execute(order, start, "0.0", Samples.data("{\"item\":\"bolts\",\"quantity\":10,\"unitPrice\":150}"), T0);
        List<Engine.Recipient> recipients = Engine.recipients(placed.action(), placed.stepData(), bound);
        assertThat(recipients).extracting(Engine.Recipient::participantId).containsExactly("supplier", "buyer");
        assertThat(recipients.get(0).values().keySet()).containsExactly("/discount", "/item", "/quantity", "/subtotal", "/total", "/unitPrice");
        assertThat(recipients.get(1).walletAddress()).isEqualTo(bound.get("buyer"));

        Engine.Executed delivered = Engine.execute(order, placed.next(), placed.next().open().get(0).id(),
                Samples.data("{\"deliveryDate\":\"2026-12-24\",\"internalRef\":\"WW-17\"}"), T0);
        List<Engine.Recipient> told = Engine.recipients(delivered.action(), delivered.stepData(), bound);
        assertThat(told.get(0).participantId()).isEqualTo("buyer");
        assertThat(told.get(0).values()).containsOnlyKeys("/deliveryDate");
        assertThat(told.get(1).values()).containsOnlyKeys("/deliveryDate", "/internalRef");
    }
}
