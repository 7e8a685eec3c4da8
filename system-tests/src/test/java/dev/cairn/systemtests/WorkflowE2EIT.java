package dev.cairn.systemtests;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.cairn.faults.StreamFollower;
import dev.cairn.localcluster.LocalCluster;
import dev.cairn.localcluster.process.ManagedProcess;
import dev.cairn.platform.crypto.WalletEncryption;
import dev.cairn.ledger.LedgerHashes;
import dev.cairn.platform.workflow.Engine;
import dev.cairn.platform.workflow.InstanceState;
import dev.cairn.platform.workflow.StepTransaction;
import dev.cairn.platform.workflow.Workflow;

import static dev.cairn.testsupport.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Workflows through the front door (nginx, two gateways, two replicas of every service): the
 * sample blueprints run to completion by parties who each hold their own wallet; each recipient
 * opens exactly its part of each step; the validators refuse steps that break the blueprint;
 * a step runs on the other blueprint replica when the one that served the one before dies; one
 * action executed at once through both replicas makes one transaction; and a WebSocket client on
 * one replica follows steps executed through the other, across a Redis restart.
 */
class WorkflowE2EIT extends AgainstSharedCluster {

    private static final String JSON = "application/json";
    private static final String PASSWORD = "workflow party password";
    private static Parties parties;

    /** A user of the installation's organisation with a wallet of their own. */
    record Party(String email, String wallet) {
        String token(Http front) {
            return Json.field(Installation.login(front, email, PASSWORD).body(), "accessToken");
        }
    }

    /** What every test here shares: parties, a register, the published samples. */
    record Parties(Party alice, Party bob, Party carol, String registerId, Map<String, String> blueprints) {
    }

    @BeforeEach
    void prepareParties() throws Exception {
        synchronized (WorkflowE2EIT.class) {
            if (parties == null) {
                String registerId = onlineRegister();
                Map<String, String> blueprints = new LinkedHashMap<>();
                for (String sample : List.of("purchase-order", "loan", "permit")) {
                    blueprints.put(sample, publish(sample));
                }
                parties = new Parties(party("alice"), party("bob"), party("carol"), registerId, blueprints);
            }
        }
    }

    @Test
    void everySampleRunsToCompletionOnTheLedger() {
        Party alice = parties.alice();
        Party bob = parties.bob();
        Party carol = parties.carol();
        String a = alice.token(front);
        String b = bob.token(front);
        String c = carol.token(front);

        // purchase order: a large order takes the approval route (a condition on a calculated total)
        String order = start("purchase-order", a, Map.of("buyer", alice, "supplier", bob));
        JsonNode placed = execute(a, order, 0, "{\"item\":\"steel beams\",\"quantity\":100,\"unitPrice\":150}");
        assertThat(placed.path("calculations").toString()).isEqualTo("{\"subtotal\":15000,\"discount\":1500,\"total\":13500}");
        assertThat(placed.path("nextActions").get(0).path("actionId").asInt()).isEqualTo(1);
        awaitCurrent(a, order, 1);
        execute(b, order, 1, "{\"approved\":true,\"comment\":\"agreed\"}");
        awaitCurrent(b, order, 2);
        execute(b, order, 2, "{\"deliveryDate\":\"2026-12-24\",\"internalRef\":\"WW-17\"}");
        JsonNode finished = awaitState(a, order, "COMPLETED");
        assertSealedOnLedger(finished, List.of(0, 1, 2));
        assertThat(fields(finished.path("data"))).as("the buyer sees its order, the approval and the date, not the supplier's reference")
                .containsExactlyInAnyOrder("item", "quantity", "unitPrice", "subtotal", "discount", "total", "approved", "comment", "deliveryDate");
        assertThat(fields(get(b, order).path("data"))).contains("internalRef");

        // a small one takes the default route straight to delivery
        String small = start("purchase-order", a, Map.of("buyer", alice, "supplier", bob));
        assertThat(execute(a, small, 0, "{\"item\":\"bolts\",\"quantity\":10,\"unitPrice\":150}").path("calculations").path("total").asInt())
                .isEqualTo(1350);
        assertThat(awaitCurrent(a, small, 2).path("currentActions")).hasSize(1);

        // loan: two parallel checks, a decision that waits for both, calculations over earlier actions' data
        String loan = start("loan", a, Map.of("applicant", alice, "bank", bob, "bureau", carol));
        execute(a, loan, 0, "{\"amount\":20000,\"termMonths\":24,\"annualIncome\":60000}");
        JsonNode checks = awaitCurrent(b, loan, 2);
        assertThat(actionIds(checks.path("currentActions"))).containsExactlyInAnyOrder(1, 2);
        execute(b, loan, 2, "{\"employmentVerified\":true}");
        await().atMost(Duration.ofSeconds(20)).until(() -> get(b, loan).path("history").get(1).path("status").asString().equals("sealed"));
        JsonNode waiting = get(b, loan);
        assertThat(actionIds(waiting.path("currentActions"))).as("the decision waits for the credit check").containsExactly(1);
        assertThat(actionIds(waiting.path("waiting"))).containsExactly(3);
        execute(c, loan, 1, "{\"creditScore\":720}");
        awaitCurrent(b, loan, 3);
        JsonNode decided = execute(b, loan, 3, "{\"decision\":\"approve\"}");
        assertThat(decided.path("calculations").toString()).isEqualTo("{\"rate\":4.5,\"totalRepayable\":21800}");
        awaitCurrent(a, loan, 5);
        execute(a, loan, 5, "{\"accepted\":true}");
        JsonNode repaid = awaitState(a, loan, "COMPLETED");
        assertSealedOnLedger(repaid, List.of(0, 2, 1, 3, 5));
        assertThat(fields(get(c, loan).path("data"))).as("the bureau was told the amount only, and its own score")
                .containsExactlyInAnyOrder("amount", "creditScore", "riskBand");

        // permit: the council sends the application back (a non-terminal rejection), then issues it
        String permit = start("permit", a, Map.of("applicant", alice, "council", bob));
        execute(a, permit, 0, "{\"site\":\"12 High St\",\"storeys\":2,\"floorArea\":120}");
        awaitCurrent(b, permit, 1);
        HttpResponse<String> noReason = front.post("/api/instances/" + permit + "/actions/1/reject", b, JSON, "{}");
        assertProblem(noReason, 400, "reason-required");
        HttpResponse<String> notTheCouncil = front.post("/api/instances/" + permit + "/actions/1/reject", a, JSON, "{\"reason\":\"I changed my mind\"}");
        assertProblem(notTheCouncil, 403, "not-participant");
        HttpResponse<String> rejected = front.post("/api/instances/" + permit + "/actions/1/reject", b, JSON,
                "{\"reason\":\"Floor area exceeds the plot ratio\",\"fieldErrors\":{\"floorArea\":\"at most 100\"}}");
        assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(202);
        assertThat(Json.read(rejected.body()).path("nextActions").get(0).path("actionId").asInt()).isZero();
        awaitCurrent(a, permit, 0);
        execute(a, permit, 0, "{\"site\":\"12 High St\",\"storeys\":2,\"floorArea\":95}");
        awaitCurrent(b, permit, 1);
        execute(b, permit, 1, "{\"compliant\":true,\"conditions\":\"no work on Sundays\"}");
        awaitCurrent(b, permit, 2);
        assertProblem(front.post("/api/instances/" + permit + "/actions/2/reject", b, JSON, "{\"reason\":\"no\"}"), 400, "rejection-not-allowed");
        execute(b, permit, 2, "{\"permitNumber\":\"BP-20417\"}");
        JsonNode issued = awaitState(a, permit, "COMPLETED");
        assertSealedOnLedger(issued, List.of(0, 1, 0, 1, 2));
        assertThat(issued.path("history").get(1).path("kind").asString()).isEqualTo("rejected");
        assertThat(issued.path("data").path("floorArea").asInt()).isEqualTo(95);
        assertThat(issued.path("data").path("permitNumber").asString()).isEqualTo("BP-20417");
        assertThat(verify().path("ok").asBoolean()).isTrue();
    }

    @Test
    void eachRecipientDecryptsExactlyItsDisclosedFields() {
        String a = parties.alice().token(front);
        String b = parties.bob().token(front);
        String c = parties.carol().token(front);
        String loan = start("loan", a, Map.of("applicant", parties.alice(), "bank", parties.bob(), "bureau", parties.carol()));
        JsonNode applied = execute(a, loan, 0, "{\"amount\":20000,\"termMonths\":24,\"annualIncome\":60000}");
        JsonNode tx = sealedTransaction(applied.path("txId").asString());
        assertThat(tx.toString()).as("no value in the clear (field names are the blueprint's, and public)").doesNotContain("60000")
                .doesNotContain("20000");
        Map<String, String> tokens = Map.of(parties.alice().wallet(), a, parties.bob().wallet(), b, parties.carol().wallet(), c);
        Map<String, Set<String>> opened = new LinkedHashMap<>();
        for (JsonNode disclosure : tx.path("payload").path("disclosures")) {
            String wallet = disclosure.path("walletAddress").asString();
            Map<String, JsonNode> values = StepTransaction.openDisclosure(tx, decrypt(tokens.get(wallet), wallet,
                    disclosure.path("ciphertext").asString()));
            opened.put(disclosure.path("participantId").asString(), values.keySet());
            if (values.containsKey("/annualIncome")) {
                assertThat(values.get("/annualIncome").asInt()).isEqualTo(60000);
            }
        }
        Set<String> everything = Set.of("/amount", "/termMonths", "/annualIncome", "/monthlyPayment", "/debtRatio");
        assertThat(opened).containsOnlyKeys("applicant", "bank", "bureau");
        assertThat(opened.get("bank")).containsExactlyInAnyOrderElementsOf(everything);
        assertThat(opened.get("applicant")).containsExactlyInAnyOrderElementsOf(everything);
        assertThat(opened.get("bureau")).containsExactly("/amount");

        // nobody opens another's part, nor the validators' copy
        JsonNode bankPart = disclosureOf(tx, parties.bob().wallet());
        HttpResponse<String> stranger = front.post("/api/wallets/" + parties.carol().wallet() + "/decrypt", c, JSON,
                "{\"ciphertext\":\"" + bankPart.path("ciphertext").asString() + "\"}");
        assertProblem(stranger, 400, "undecryptable");
        JsonNode copy = tx.path("payload").path("validatorCopy");
        HttpResponse<String> validatorsCopy = front.post("/api/wallets/" + copy.path("walletAddress").asString() + "/decrypt", b, JSON,
                "{\"ciphertext\":\"" + copy.path("ciphertext").asString() + "\"}");
        assertThat(validatorsCopy.statusCode()).isEqualTo(404);
    }

    @Test
    void theValidatorsRefuseHandBuiltStepsThatSkipAnActionUseTheWrongWalletOrAlterACalculation() {
        String a = parties.alice().token(front);
        String b = parties.bob().token(front);
        HandBuilt builder = new HandBuilt(Map.of("buyer", parties.alice(), "supplier", parties.bob()));
        String order = "{\"item\":\"bolts\",\"quantity\":10,\"unitPrice\":150}";

        // a correct first step, built by hand, is accepted: the refusals below are about what they change
        ObjectNode good = builder.firstStep(order, null);
        signAs(a, parties.alice().wallet(), good);
        HttpResponse<String> accepted = front.post("/api/transactions", a, JSON, good.toString());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        ObjectNode again = builder.firstStep(order.replace("10", "11"), good.path("instanceId").asString());
        signAs(a, parties.alice().wallet(), again);
        assertProblem(front.post("/api/transactions", a, JSON, again.toString()), 409, "fork");

        ObjectNode skipping = builder.skippingTo(2, "{\"deliveryDate\":\"2026-12-24\"}");
        signAs(b, parties.bob().wallet(), skipping);
        assertRefused(b, skipping, "action-not-current");

        ObjectNode wrongWallet = builder.firstStep(order, null);
        wrongWallet.put("sender", parties.bob().wallet());
        signAs(b, parties.bob().wallet(), wrongWallet);
        assertRefused(b, wrongWallet, "wrong-participant-wallet");

        ObjectNode altered = builder.firstStep(order, null);
        ((ObjectNode) altered.path("payload").path("commitments")).put("/total", StepTransaction.commitment(new byte[32], "/total",
                Json.MAPPER.getNodeFactory().numberNode(1)));
        signAs(a, parties.alice().wallet(), altered);
        assertRefused(a, altered, "calculation-mismatch");
    }

    @Test
    void theNextStepRunsOnTheOtherReplicaWhenTheOneThatServedThePreviousIsKilled() {
        String a = parties.alice().token(front);
        String b = parties.bob().token(front);
        String order = start("purchase-order", a, Map.of("buyer", parties.alice(), "supplier", parties.bob()));
        HttpResponse<String> first = front.post("/api/instances/" + order + "/actions/0/execute", a, JSON,
                "{\"data\":{\"item\":\"bolts\",\"quantity\":10,\"unitPrice\":150}}");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        String served = Http.instance(first);
        ManagedProcess victim = cluster.replicas("blueprint-service").stream().filter(p -> served.endsWith(":" + p.port())).findFirst()
                .orElseThrow(() -> new AssertionError("no blueprint replica served " + served));
        try {
            cluster.kill(victim);
            awaitCurrent(b, order, 2);
            JsonNode next = executeRetrying(b, order, 2, "{\"deliveryDate\":\"2026-12-24\"}", "after-kill-" + order);
            assertThat(next.path("served").asString()).doesNotEndWith(":" + victim.port());
            JsonNode done = awaitState(a, order, "COMPLETED");
            assertSealedOnLedger(done, List.of(0, 2));
            Figures.record("blueprint replica SIGKILL between two steps", "next step served by " + next.path("served").asString()
                    + ", instance completed");
        } finally {
            cluster.restart(victim);
        }
    }

    @Test
    void oneActionExecutedAtOnceThroughBothReplicasMakesOneTransaction() throws Exception {
        String a = parties.alice().token(front);
        String b = parties.bob().token(front);
        String order = start("purchase-order", a, Map.of("buyer", parties.alice(), "supplier", parties.bob()));
        execute(a, order, 0, "{\"item\":\"bolts\",\"quantity\":10,\"unitPrice\":150}");
        awaitCurrent(b, order, 2);
        List<Http> replicas = cluster.replicas("blueprint-service").stream().map(p -> new Http(LocalCluster.url(p))).toList();
        String body = "{\"data\":{\"deliveryDate\":\"2026-12-24\"},\"idempotencyKey\":\"deliver-" + order + "\"}";
        int callers = 6;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < callers; i++) {
                Http replica = replicas.get(i % replicas.size());
                answers.add(pool.submit(() -> {
                    go.await();
                    return replica.post("/api/instances/" + order + "/actions/2/execute", b, JSON, body);
                }));
            }
            go.countDown();
            Set<String> txIds = new HashSet<>();
            Set<String> servedBy = new HashSet<>();
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get();
                assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
                txIds.add(Json.field(response.body(), "txId"));
                servedBy.add(Http.instance(response));
            }
            assertThat(servedBy).hasSize(2);
            assertThat(txIds).as("every caller gets the one step's answer").hasSize(1);
            String txId = txIds.iterator().next();

            HttpResponse<String> different = replicas.get(1).post("/api/instances/" + order + "/actions/2/execute", b, JSON,
                    "{\"data\":{\"deliveryDate\":\"2027-01-05\"}}");
            // The step may already be sealed, which completes the order: either way a different request is refused.
            assertThat(different.statusCode()).as(different.body()).isEqualTo(409);
            assertThat(Json.field(different.body(), "type")).matches(".*/(action-not-current|instance-not-active)");
            JsonNode done = awaitState(a, order, "COMPLETED");
            HttpResponse<String> retried = replicas.get(0).post("/api/instances/" + order + "/actions/2/execute", b, JSON, body);
            assertThat(retried.statusCode()).isEqualTo(202);
            assertThat(Json.read(retried.body()).path("txId").asString()).isEqualTo(txId);
            assertThat(Json.read(retried.body()).path("status").asString()).isEqualTo("sealed");
            assertSealedOnLedger(done, List.of(0, 2));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aClientOnOneReplicaFollowsStepsExecutedThroughTheOtherAndBackfillsAfterARedisRestart() throws Exception {
        String a = parties.alice().token(front);
        String b = parties.bob().token(front);
        List<ManagedProcess> replicas = cluster.replicas("blueprint-service");
        String socketOnA = LocalCluster.url(replicas.get(0)).replaceFirst("^http", "ws") + "/ws/blueprints";
        Http viaB = new Http(LocalCluster.url(replicas.get(1)));
        String permit = start("permit", a, Map.of("applicant", parties.alice(), "council", parties.bob()));
        StreamFollower instance = new StreamFollower(socketOnA, a, "\"instanceId\":\"" + permit + "\"").connect();
        StreamFollower council = new StreamFollower(socketOnA, b, "\"wallet\":\"" + parties.bob().wallet() + "\"").connect();
        try {
            long councilBefore = headSeq(b, "/api/instances/events?wallet=" + parties.bob().wallet());
            assertThat(viaB.post("/api/instances/" + permit + "/actions/0/execute", a, JSON,
                    "{\"data\":{\"site\":\"12 High St\",\"storeys\":2,\"floorArea\":120}}").statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(20)).until(() -> instance.types().size() >= 3);
            assertThat(instance.types()).containsExactly("ActionAvailable", "ActionConfirmed", "ActionAvailable");
            // the wallet's stream also carries the late events of other tests' instances: this instance's are what count
            await().atMost(Duration.ofSeconds(20)).until(() -> availableOf(council, permit).isPresent());
            assertThat(availableOf(council, permit).orElseThrow().path("actionId").asInt()).isEqualTo(1);

            ManagedProcess redis = cluster.stores().process("redis");
            cluster.restart(redis);
            // steps right after the restart: their live events may be lost while replicas resubscribe
            postRetrying(viaB, b, "/api/instances/" + permit + "/actions/1/reject", "{\"reason\":\"Needs a fire exit plan\",\"idempotencyKey\":\"r1\"}");
            awaitCurrent(a, permit, 0);
            postRetrying(viaB, a, "/api/instances/" + permit + "/actions/0/execute",
                    "{\"data\":{\"site\":\"12 High St\",\"storeys\":2,\"floorArea\":95},\"idempotencyKey\":\"e2\"}");
            awaitCurrent(b, permit, 1);
            long head = headSeq(a, "/api/instances/" + permit + "/events");
            assertThat(head).isEqualTo(7); // available, confirmed, available, rejected, available, confirmed, available
            instance.dropConnection(); // as when a browser loses its connection: it subscribes again after the last event it saw
            await().atMost(Duration.ofSeconds(30)).until(() -> instance.events.size() >= head);
            assertThat(instance.seqs()).as("every event once, in order").containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
            assertThat(instance.types()).containsExactly("ActionAvailable", "ActionConfirmed", "ActionAvailable", "ActionRejected",
                    "ActionAvailable", "ActionConfirmed", "ActionAvailable");
            long councilHead = headSeq(b, "/api/instances/events?wallet=" + parties.bob().wallet());
            council.dropConnection();
            await().atMost(Duration.ofSeconds(30)).until(() -> council.seqs().contains(councilHead));
            List<Long> seen = council.seqs();
            assertThat(seen).doesNotHaveDuplicates().isSorted();
            assertThat(seen.get(seen.size() - 1) - seen.get(0) + 1).as("no gap").isEqualTo(seen.size());
            assertThat(seen).contains(councilBefore + 1);
            JsonNode reason = council.events.stream().filter(e -> e.path("type").asString().equals("ActionRejected")
                    && e.path("instanceId").asString().equals(permit)).findFirst().orElseThrow();
            assertThat(reason.path("reason").asString()).isEqualTo("Needs a fire exit plan");
        } finally {
            instance.close();
            council.close();
        }
    }

    private static java.util.Optional<JsonNode> availableOf(StreamFollower follower, String instanceId) {
        return follower.events.stream().filter(e -> e.path("type").asString().equals("ActionAvailable")
                && e.path("instanceId").asString().equals(instanceId)).findFirst();
    }

    @Test
    void badRequestsAreRefusedAndChangeNothing() {
        String a = parties.alice().token(front);
        String b = parties.bob().token(front);
        String order = start("purchase-order", a, Map.of("buyer", parties.alice(), "supplier", parties.bob()));
        String path = "/api/instances/" + order + "/actions/";

        assertProblem(front.post(path + "0/execute", a, JSON, "{\"data\":{\"item\":\"\",\"quantity\":0}}"), 400, "data-does-not-conform");
        HttpResponse<String> outside = front.post(path + "0/execute", a, JSON, "{\"data\":{\"item\":\"x\",\"quantity\":\"ten\",\"unitPrice\":1}}");
        assertThat(Json.read(outside.body()).path("errors").get(0).path("pointer").asString()).isEqualTo("/quantity");
        assertProblem(front.post(path + "0/execute", b, JSON, "{\"data\":{\"item\":\"x\",\"quantity\":1,\"unitPrice\":1}}"), 403, "not-participant");
        assertProblem(front.post(path + "2/execute", b, JSON, "{\"data\":{\"deliveryDate\":\"2026-12-24\"}}"), 409, "action-not-current");
        assertProblem(front.post(path + "9/execute", a, JSON, "{\"data\":{}}"), 404, "not-found");
        assertProblem(front.post(path + "0/reject", a, JSON, "{\"reason\":\"no\"}"), 400, "rejection-not-allowed");
        assertProblem(front.post(path + "0/execute", a, JSON, "{\"data\":[1,2]}"), 400, "invalid-data");
        assertProblem(front.post(path + "0/execute", a, JSON, "{\"data\":{}, \"surprise\":1}"), 400, "malformed-request");
        assertProblem(front.post("/api/instances/not-an-id/actions/0/execute", a, JSON, "{\"data\":{}}"), 400, "invalid-instance-id");
        assertProblem(front.post("/api/instances", a, JSON, "{\"blueprintId\":\"" + "ab".repeat(16) + "\",\"registerId\":\""
                + parties.registerId() + "\"}"), 404, "not-found");
        assertProblem(front.post("/api/instances", a, JSON, "{\"blueprintId\":\"" + parties.blueprints().get("permit") + "\",\"registerId\":\""
                + parties.registerId() + "\",\"participants\":{\"applicant\":\"" + parties.alice().wallet() + "\"}}"), 400, "unbound-participants");
        String stranger = otherOrganisationAdmin();
        assertThat(front.get("/api/instances/" + order, stranger).statusCode()).isEqualTo(404);
        assertThat(front.post(path + "0/execute", stranger, JSON, "{\"data\":{}}").statusCode()).isEqualTo(404);

        JsonNode unchanged = get(a, order);
        assertThat(unchanged.path("history")).isEmpty();
        assertThat(actionIds(unchanged.path("currentActions"))).containsExactly(0);
        JsonNode onLedger = Json.read(front.get("/api/registers/" + parties.registerId() + "/transactions?instanceId=" + order, admin).body());
        assertThat(onLedger.path("total").asLong()).as("nothing was submitted").isZero();

        assertProblem(front.post("/api/blueprints", admin, JSON, "[1]"), 400, "invalid-blueprint");
        assertProblem(front.post("/api/blueprints", admin, JSON, "{\"title\":\"T\",\"template\":{\"title\":\"${name}\",\"actions\":[]}}"),
                400, "json-e-template");
        HttpResponse<String> draft = front.post("/api/blueprints", admin, JSON, "{\"title\":\"Broken\",\"participants\":[{\"id\":\"a\"}],"
                + "\"actions\":[{\"id\":0,\"sender\":\"z\"}]}");
        assertThat(draft.statusCode()).isEqualTo(201);
        HttpResponse<String> publish = front.post("/api/blueprints/" + Json.field(draft.body(), "id") + "/publish", admin, JSON, "");
        assertProblem(publish, 400, "invalid-blueprint");
        assertThat(Json.read(publish.body()).path("errors").toString()).contains("/participants").contains("/actions/0/sender");
    }

    // ---- building steps by hand, as a client outside the blueprint service would ----

    /** Builds workflow steps of the purchase-order blueprint with the platform's rules, for a fresh instance. */
    private final class HandBuilt {
        private final Workflow workflow;
        private final Map<String, String> bindings = new LinkedHashMap<>();
        private final Map<String, JsonNode> keys = new LinkedHashMap<>();
        private final String validators;

        HandBuilt(Map<String, Party> participants) {
            String blueprintId = parties.blueprints().get("purchase-order");
            this.workflow = Workflow.of(Json.read(front.get("/api/blueprints/" + blueprintId + "/versions/1", admin).body()).path("blueprint"));
            participants.forEach((id, party) -> bindings.put(id, party.wallet()));
            JsonNode genesis = Json.read(front.get("/api/registers/" + parties.registerId() + "/dockets/0", admin).body()).path("docket");
            this.validators = dev.cairn.ledger.crypto.LedgerAddress.of(genesis.path("signature").path("algorithm").asString(),
                    Base64.getDecoder().decode(genesis.path("signature").path("publicKey").asString()));
            keys.put(validators, genesis.path("signature"));
        }

        ObjectNode firstStep(String data, String instanceId) {
            return step(Engine.start(workflow, bindings), "0.0", data, instanceId);
        }

        /** A first step that claims a later action is open, as if the actions before it had happened. */
        ObjectNode skippingTo(int actionId, String data) {
            InstanceState start = Engine.start(workflow, bindings);
            InstanceState forged = new InstanceState(InstanceState.ACTIVE, 0, start.participants(), start.data(),
                    List.of(new InstanceState.Token("0.0", actionId, null, null)), List.of(), List.of());
            return step(forged, "0.0", data, null);
        }

        private ObjectNode step(InstanceState prior, String token, String data, String instanceId) {
            Instant at = Instant.now();
            Engine.Executed executed = Engine.execute(workflow, prior, token, Json.read(data), at);
            StepTransaction.Context context = new StepTransaction.Context(parties.registerId(), parties.blueprints().get("purchase-order"), 1,
                    instanceId != null ? instanceId : UUID.randomUUID().toString().replace("-", ""), null, prior, null, validators);
            return StepTransaction.execution(context, executed, Json.read(data), at, (address, plaintext) -> {
                JsonNode key = keys.computeIfAbsent(address, w -> Json.read(front.get("/api/wallets/" + w + "/public-key", admin).body()));
                return Base64.getEncoder().encodeToString(WalletEncryption.encrypt(key.path("algorithm").asString(),
                        Base64.getDecoder().decode(key.path("publicKey").asString()), plaintext));
            }).transaction();
        }
    }

    private void signAs(String token, String wallet, ObjectNode tx) {
        tx.remove("txId");
        tx.remove("signature");
        String txId = LedgerHashes.transactionId(tx);
        HttpResponse<String> signed = front.post("/api/wallets/" + wallet + "/sign", token, JSON,
                "{\"data\":\"" + Base64.getEncoder().encodeToString(LedgerHashes.bytes(txId)) + "\"}");
        assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
        JsonNode s = Json.read(signed.body());
        tx.put("txId", txId);
        tx.putObject("signature").put("algorithm", s.path("algorithm").asString()).put("publicKey", s.path("publicKey").asString())
                .put("value", s.path("signature").asString());
    }

    private void assertRefused(String token, ObjectNode tx, String type) {
        assertProblem(front.post("/api/transactions", token, JSON, tx.toString()), 400, type);
        assertThat(front.get("/api/transactions/" + parties.registerId() + "/" + tx.path("txId").asString(), token).statusCode())
                .as("nothing stored").isEqualTo(404);
    }

    // ---- helpers ----

    private Party party(String name) {
        String email = name + "-" + System.nanoTime() + "@workflow.test";
        HttpResponse<String> created = front.post("/api/tenants/users", admin, JSON, "{\"email\":\"" + email + "\",\"displayName\":\"" + name
                + "\",\"password\":\"" + PASSWORD + "\",\"roles\":[\"Member\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String token = Json.field(Installation.login(front, email, PASSWORD).body(), "accessToken");
        HttpResponse<String> wallet = front.post("/api/wallets", token, JSON, "{\"name\":\"" + name + "\",\"algorithm\":\"ED25519\",\"wordCount\":12}");
        assertThat(wallet.statusCode()).as(wallet.body()).isEqualTo(201);
        return new Party(email, Json.field(wallet.body(), "address"));
    }

    private String onlineRegister() {
        HttpResponse<String> created = front.post("/api/registers", admin, JSON, "{\"name\":\"Workflows\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = Json.field(created.body(), "id");
        await().atMost(Duration.ofSeconds(30)).until(() -> "ONLINE".equals(Json.field(front.get("/api/registers/" + id, admin).body(), "status")));
        return id;
    }

    private String publish(String sample) throws Exception {
        String document = Files.readString(SharedCluster.repositoryRoot().resolve(Path.of("samples", "blueprints", sample + ".json")));
        HttpResponse<String> created = front.post("/api/blueprints", admin, JSON, document);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(Json.read(created.body()).path("validation").path("valid").asBoolean()).isTrue();
        String id = Json.field(created.body(), "id");
        HttpResponse<String> published = front.post("/api/blueprints/" + id + "/publish", admin, JSON, "");
        assertThat(published.statusCode()).as(published.body()).isEqualTo(201);
        assertThat(Json.read(published.body()).path("version").asInt()).isEqualTo(1);
        return id;
    }

    private String start(String sample, String token, Map<String, Party> participants) {
        ObjectNode request = Json.MAPPER.createObjectNode().put("blueprintId", parties.blueprints().get(sample)).put("registerId", parties.registerId());
        ObjectNode bound = request.putObject("participants");
        participants.forEach((id, party) -> bound.put(id, party.wallet()));
        HttpResponse<String> created = front.post("/api/instances", token, JSON, request.toString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(Json.field(created.body(), "state")).isEqualTo("ACTIVE");
        return Json.field(created.body(), "id");
    }

    private JsonNode execute(String token, String instanceId, int actionId, String data) {
        HttpResponse<String> response = front.post("/api/instances/" + instanceId + "/actions/" + actionId + "/execute", token, JSON,
                "{\"data\":" + data + "}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode answer = Json.read(response.body());
        assertThat(answer.path("status").asString()).isIn("pending", "sealed");
        return answer;
    }

    /** Executes, sending the same request (same idempotency key) again while the answer is a failure to reach a replica. */
    private JsonNode executeRetrying(String token, String instanceId, int actionId, String data, String key) {
        String body = "{\"data\":" + data + ",\"idempotencyKey\":\"" + key + "\"}";
        HttpResponse<String> response = postRetrying(front, token, "/api/instances/" + instanceId + "/actions/" + actionId + "/execute", body);
        return ((ObjectNode) Json.read(response.body())).put("served", Http.instance(response));
    }

    private HttpResponse<String> postRetrying(Http http, String token, String path, String body) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                HttpResponse<String> response = http.post(path, token, JSON, body);
                if (response.statusCode() == 202 || System.nanoTime() > deadline || response.statusCode() / 100 == 4) {
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
                    return response;
                }
            } catch (java.io.UncheckedIOException e) {
                assertThat(System.nanoTime()).as("answered within 30 s: " + e.getMessage()).isLessThan(deadline);
            }
            sleep(250);
        }
    }

    private JsonNode get(String token, String instanceId) {
        HttpResponse<String> response = front.get("/api/instances/" + instanceId, token);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.read(response.body());
    }

    private JsonNode awaitCurrent(String token, String instanceId, int actionId) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            last[0] = get(token, instanceId);
            return actionIds(last[0].path("currentActions")).contains(actionId);
        });
        return last[0];
    }

    private JsonNode awaitState(String token, String instanceId, String state) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            last[0] = get(token, instanceId);
            return state.equals(last[0].path("state").asString());
        });
        return last[0];
    }

    /** Every step sealed, in this order of actions, each once on the register with the instance's blueprint. */
    private void assertSealedOnLedger(JsonNode instance, List<Integer> actions) {
        JsonNode history = instance.path("history");
        assertThat(actionIds(history)).containsExactlyElementsOf(actions);
        long height = 0;
        for (JsonNode step : history) {
            assertThat(step.path("status").asString()).isEqualTo("sealed");
            assertThat(step.path("height").asLong()).isGreaterThanOrEqualTo(height);
            height = step.path("height").asLong();
            JsonNode tx = sealedTransaction(step.path("txId").asString());
            assertThat(tx.path("instanceId").asString()).isEqualTo(instance.path("id").asString());
            assertThat(tx.path("actionId").asInt()).isEqualTo(step.path("actionId").asInt());
        }
        JsonNode onLedger = Json.read(front.get("/api/registers/" + parties.registerId() + "/transactions?instanceId=" + instance.path("id").asString()
                + "&size=100", admin).body());
        assertThat(onLedger.path("total").asLong()).as("each step once on the ledger, nothing else").isEqualTo(actions.size());
    }

    private JsonNode sealedTransaction(String txId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> front.get("/api/registers/" + parties.registerId() + "/transactions/" + txId, admin)
                .statusCode() == 200);
        return Json.read(front.get("/api/registers/" + parties.registerId() + "/transactions/" + txId, admin).body()).path("transaction");
    }

    private byte[] decrypt(String token, String wallet, String ciphertext) {
        HttpResponse<String> opened = front.post("/api/wallets/" + wallet + "/decrypt", token, JSON, "{\"ciphertext\":\"" + ciphertext + "\"}");
        assertThat(opened.statusCode()).as(opened.body()).isEqualTo(200);
        return Base64.getDecoder().decode(Json.field(opened.body(), "data"));
    }

    private static JsonNode disclosureOf(JsonNode tx, String wallet) {
        for (JsonNode d : tx.path("payload").path("disclosures")) {
            if (d.path("walletAddress").asString().equals(wallet)) {
                return d;
            }
        }
        throw new AssertionError("no disclosure to " + wallet);
    }

    private JsonNode verify() {
        return Json.read(front.get("/api/registers/" + parties.registerId() + "/verify", admin).body());
    }

    private long headSeq(String token, String path) {
        return Json.read(front.get(path + (path.contains("?") ? "&" : "?") + "limit=1", token).body()).path("headSeq").asLong();
    }

    private String otherOrganisationAdmin() {
        String email = "admin-" + System.nanoTime() + "@elsewhere.test";
        HttpResponse<String> organization = front.post("/api/tenants/organizations", admin, JSON, "{\"name\":\"Elsewhere " + System.nanoTime()
                + "\",\"adminEmail\":\"" + email + "\",\"adminPassword\":\"elsewhere password\",\"adminName\":\"Else\"}");
        assertThat(organization.statusCode()).as(organization.body()).isEqualTo(201);
        return Json.field(Installation.login(front, email, "elsewhere password").body(), "accessToken");
    }

    private static List<Integer> actionIds(JsonNode list) {
        List<Integer> ids = new ArrayList<>();
        list.forEach(a -> ids.add(a.path("actionId").asInt()));
        return ids;
    }

    private static List<String> fields(JsonNode data) {
        return new ArrayList<>(data.propertyNames());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
