package dev.cairn.systemtests;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

import dev.cairn.ledger.LedgerHashes;
import dev.cairn.ledger.MerkleTree;
import dev.cairn.localcluster.LocalCluster;
import dev.cairn.localcluster.NginxFront;
import dev.cairn.localcluster.process.ManagedProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The web console in Debian's Chromium, through nginx, against two replicas of every service:
 * a buyer and a supplier of two organisations, each in a browser of their own, run a purchase
 * order from creating their wallets to the sealed, verified ledger. The supplier sees the
 * action they must take arrive live, over the WebSocket, while the buyer acts. Along the way
 * the console must show each refusal at the place it concerns (a wrong password, a blueprint
 * that does not validate, data that breaks the schema, a session that was ended) with nothing
 * submitted, and neither browser may log an uncaught error. A screenshot of each screen is
 * saved under {@code target/console-screenshots/}.
 */
@EnabledIf(value = "canRun", disabledReason = "needs nginx and Chromium with its driver (bin/cairn setup --test)")
@ExtendWith(SharedCluster.class)
class ConsoleE2EIT {

    /** Decided before the shared cluster starts, so that a machine without them skips at once. */
    static boolean canRun() {
        return NginxFront.executable().isPresent() && ConsoleBrowser.available();
    }

    private static final String PASSWORD = "console party password";
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    private LocalCluster cluster;
    private String frontUrl;
    private String gatewayUrl;
    private String admin;
    private Http front;
    private ConsoleBrowser buyer;
    private ConsoleBrowser supplier;

    @BeforeEach
    void open(LocalCluster cluster) throws Exception {
        this.cluster = cluster;
        open(cluster.frontUrl(), cluster.gatewayUrls().get(0), Installation.adminToken(cluster));
    }

    /** Against an installation whose front is nginx at {@code frontUrl}, signed in as its SystemAdmin. */
    void open(String frontUrl, String gatewayUrl, String adminToken) throws IOException {
        assumeTrue(ConsoleBrowser.available(), ConsoleBrowser.MISSING);
        this.frontUrl = frontUrl;
        this.gatewayUrl = gatewayUrl;
        this.admin = adminToken;
        this.front = new Http(frontUrl);
        Files.createDirectories(SCREENSHOTS);
        buyer = ConsoleBrowser.start(frontUrl, SCREENSHOTS, "buyer");
        supplier = ConsoleBrowser.start(frontUrl, SCREENSHOTS, "supplier");
    }

    @AfterEach
    void close() {
        if (buyer != null) {
            buyer.quit();
        }
        if (supplier != null) {
            supplier.quit();
        }
    }

    @Test
    void aBuyerAndASupplierRunAPurchaseOrderInTheirBrowsers() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String buyerEmail = "buyer-" + run + "@console.test";
        String supplierEmail = "supplier-" + run + "@console.test";
        organisation("Console Buyer " + run, buyerEmail, "Bea Buyer");
        organisation("Console Supplier " + run, supplierEmail, "Sam Supplier");

        // signing in: a wrong password is told as such, in the form
        buyer.open("#/signin");
        buyer.shot("sign-in");
        buyer.signIn(buyerEmail, "not the password at all");
        assertThat(buyer.textOf("#sign-in .form-error")).isEqualTo("Wrong email or password.");
        buyer.shot("sign-in-wrong-password");
        buyer.signIn(buyerEmail, PASSWORD);
        buyer.await("the buyer's name and organisation", () -> buyer.textOf("#who").contains("Bea Buyer · Console Buyer " + run));
        supplier.open("#/signin");
        supplier.signIn(supplierEmail, PASSWORD);
        supplier.await("the supplier signed in", () -> supplier.textOf("#who").contains("Sam Supplier"));

        // wallets: the mnemonic is shown once, behind a confirmation
        String buyerWallet = buyer.createWallet("Buyer wallet", "wallets");
        String supplierWallet = supplier.createWallet("Supplier wallet", null);
        assertThat(buyerWallet).startsWith("cairn1").isNotEqualTo(supplierWallet);

        // the supplier waits on the instances page: notifications arrive there live
        supplier.open("#/instances");
        supplier.await("the live connection", supplier::live);

        // a register, online once its genesis docket is sealed
        buyer.open("#/registers");
        buyer.type("#create-register [name=name]", "Console orders " + run);
        buyer.click("#create-register button[type=submit]");
        buyer.await("the register online", () -> buyer.textOf("#register-list").contains("Console orders " + run)
                && buyer.find("#register-list").findElements(By.xpath(".//tr[td[1][normalize-space()='Console orders " + run + "']]/td[2][normalize-space()='ONLINE']")).size() == 1);
        buyer.shot("registers");

        // a blueprint that does not validate: each problem at its pointer, nothing stored
        String sample = Files.readString(SharedCluster.repositoryRoot().resolve("samples/blueprints/purchase-order.json"));
        String title = "Purchase order " + run;
        String broken = sample.replace("\"title\": \"Purchase order\"", "\"title\": \"" + title + "\"")
                .replace("\"sender\": \"supplier\",\n      \"dataSchemas\": [\n        {\n          \"type\": \"object\",\n          \"required\": [\"approved\"]",
                        "\"sender\": \"nobody\",\n      \"dataSchemas\": [\n        {\n          \"type\": \"object\",\n          \"required\": [\"approved\"]");
        assertThat(broken).contains("\"nobody\"");
        buyer.open("#/blueprints/new");
        buyer.paste("#blueprint-json", broken);
        buyer.click("#validate-blueprint");
        buyer.await("the validation problems", () -> buyer.exists("#validation-errors li[data-pointer='/actions/1/sender']"));
        assertThat(buyer.textOf("#validation-verdict")).contains("to fix before it can be published");
        buyer.shot("blueprint-invalid");
        buyer.paste("#blueprint-json", broken.replace("\"nobody\"", "\"supplier\""));
        buyer.click("#validate-blueprint");
        buyer.await("a valid blueprint", () -> buyer.textOf("#validation-verdict").startsWith("Valid"));
        assertThat(buyer.driver().findElements(By.cssSelector("#diagram-box svg g.node"))).hasSize(3);
        buyer.click("#save-blueprint");
        buyer.await("the stored draft", () -> buyer.exists("#publish-blueprint"));
        buyer.click("#publish-blueprint");
        buyer.await("version 1 published", () -> buyer.textOf("#versions").contains("1") && buyer.exists("#start-instance"));
        buyer.shot("blueprint-published");

        // an instance: the buyer binds themselves and the supplier's wallet
        buyer.startInstance("Console orders " + run, java.util.Map.of("buyer", buyerWallet, "supplier", supplierWallet), "instance-start");
        buyer.openAction(0, "quantity");

        // data that breaks the schema: the message at the field, nothing submitted
        buyer.type("#execute-action [name=item]", "steel beams");
        buyer.type("#execute-action [name=quantity]", "0");
        buyer.type("#execute-action [name=unitPrice]", "60");
        buyer.click("#execute-action button[type=submit]");
        buyer.await("the error at the quantity", () -> !buyer.textOf("#execute-action [data-field=quantity] .field-error").isEmpty());
        assertThat(buyer.textOf("#history")).contains("No step yet.");
        buyer.shot("action-invalid-data");

        // the order: 200 at 60 is over 10,000 after the discount, so the supplier must approve
        buyer.type("#execute-action [name=quantity]", "200");
        buyer.click("#execute-action button[type=submit]");
        buyer.await("the submitted step", () -> buyer.exists("#execute-outcome"));
        supplier.await("Approve large order, live", () -> supplier.textOf("#notifications").contains("Your turn: Approve large order"));
        assertThat(supplier.textOf("#toasts")).contains("Your turn: Approve large order");
        supplier.shot("notification-live");
        buyer.await("the order sealed", () -> buyer.textOf("#history").contains("sealed"));
        buyer.shot("instance-after-order");

        // the supplier approves and confirms delivery, from the notification
        supplier.click("#notifications a.notification-link");
        supplier.openAction(1, "approved");
        supplier.click("#execute-action [name=approved]");
        supplier.type("#execute-action [name=comment]", "agreed");
        supplier.shot("action-form");
        supplier.click("#execute-action button[type=submit]");
        supplier.openAction(2, "deliveryDate");
        supplier.setValue("#execute-action [name=deliveryDate]", "2026-12-24");
        supplier.click("#execute-action button[type=submit]");

        // the buyer's page follows without a reload
        buyer.await("the instance completed", () -> buyer.textOf("#instance-head").contains("COMPLETED")
                && buyer.find("#history").findElements(By.cssSelector(".badge.sealed")).size() == 3);
        assertThat(buyer.textOf("#instance-data")).contains("deliveryDate").contains("\"total\": 10800");
        buyer.shot("instance-completed");

        // the ledger: a step's transaction with its proof checked in the browser, then the whole chain
        buyer.click("#history tr[data-id='1'] a");
        buyer.await("the proof", () -> buyer.exists("#proof-check"));
        assertThat(buyer.textOf("#proof-check")).startsWith("Checked in this browser");
        buyer.shot("transaction-proof");
        buyer.click("a[href^='#/registers/'][href*='/dockets/']");
        buyer.await("the docket", () -> buyer.textOf("h1").startsWith("Docket"));
        buyer.shot("docket");
        buyer.click("a[href^='#/registers/']:not([href*='/dockets/'])");
        buyer.await("the register's dockets", () -> buyer.exists("#docket-list tr[data-id='0']"));
        buyer.click("#verify");
        buyer.await("the verdict", () -> buyer.textOf("#verify-result").contains("Verified"));
        buyer.shot("register-verified");

        // a permit: the council (the supplier) sends the application back with a reason, which is required
        String permit = Files.readString(SharedCluster.repositoryRoot().resolve("samples/blueprints/permit.json"))
                .replaceFirst("\"title\": \"([^\"]+)\"", "\"title\": \"$1 " + run + "\"");
        buyer.open("#/blueprints/new");
        buyer.paste("#blueprint-json", permit);
        buyer.click("#save-blueprint");
        buyer.await("the permit draft", () -> buyer.exists("#publish-blueprint"));
        buyer.click("#publish-blueprint");
        buyer.await("the permit published", () -> buyer.exists("#start-instance"));
        buyer.startInstance("Console orders " + run, java.util.Map.of("applicant", buyerWallet, "council", supplierWallet), null);
        buyer.openAction(0, "site");
        supplier.open("#/instances");
        supplier.await("the live connection before the permit", supplier::live);
        // the application is made while no gateway runs: the supplier's console is cut off, says
        // so, and on reconnecting receives what it missed
        submitWithoutGateways(buyerEmail, buyer.driver().getCurrentUrl().replaceAll(".*#/instances/", ""));
        supplier.await("the review notified", () -> supplier.textOf("#notifications").contains("Your turn: Review application")
                && supplier.live());
        assertThat(supplier.textOf("#toasts")).contains("Your turn: Review application");
        supplier.click("#notifications li[data-event-type=ActionAvailable] a.notification-link");
        supplier.openAction(1, "compliant");
        supplier.await("the rejection form", () -> supplier.exists("#reject-action [name=reason]"));
        supplier.click("#reject-action button[type=submit]");
        assertThat(supplier.textOf("#reject-action .form-error")).isEqualTo("Give a reason for sending this back.");
        supplier.shot("reject-without-reason");
        supplier.type("#reject-action [name=reason]", "Add the floor plan");
        supplier.click("#reject-action button[type=submit]");
        buyer.await("the rejection notified", () -> buyer.textOf("#toasts").contains("Sent back: Add the floor plan"));
        buyer.await("the application back", () -> buyer.exists("#current-actions button.act[data-action='0']")
                && buyer.textOf("#history").contains("rejected"));
        buyer.shot("instance-sent-back");

        // a session ended elsewhere (the password changed): the console says so and asks to sign in again
        String token = Json.field(Installation.login(front, buyerEmail, PASSWORD).body(), "accessToken");
        String me = Json.field(front.get("/api/auth/me", token).body(), "id");
        HttpResponse<String> changed = front.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(frontUrl + "/api/tenants/users/" + me))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString("{\"password\":\"" + PASSWORD + " changed\"}")).build());
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        buyer.open("#/wallets");
        buyer.await("the session ended", () -> buyer.exists("#sign-in") && buyer.textOf("#banner").contains("Sign in again"));
        buyer.shot("session-ended");

        supplier.open("#/users");
        supplier.await("the organisation's users", () -> supplier.textOf("#user-list").contains(supplierEmail));
        supplier.shot("users");
        supplier.open("#/status");
        supplier.await("every service", () -> supplier.textOf("#services").contains("blueprint-service")
                && supplier.textOf("#overall").contains("UP"));
        supplier.shot("status");
        supplier.click("#sign-out");
        supplier.await("signed out", () -> supplier.exists("#sign-in") && supplier.textOf("#banner").contains("signed out"));

        for (ConsoleBrowser browser : List.of(buyer, supplier)) {
            assertThat(browser.uncaughtErrors()).as("errors in the %s's browser console", browser.name()).isEmpty();
        }
    }

    @Test
    void theConsoleChecksInclusionProofsAsTheRegisterMakesThem() {
        buyer.open("#/signin");
        java.util.Random random = new java.util.Random(9162);
        int proofs = 0;
        for (int size = 1; size <= 9; size++) {
            List<byte[]> leaves = new java.util.ArrayList<>();
            for (int i = 0; i < size; i++) {
                byte[] txId = new byte[32];
                random.nextBytes(txId);
                leaves.add(txId);
            }
            String root = LedgerHashes.hex(MerkleTree.root(leaves));
            for (int index = 0; index < size; index++) {
                List<String> path = MerkleTree.inclusionProof(index, leaves).stream().map(LedgerHashes::hex).toList();
                String txId = LedgerHashes.hex(leaves.get(index));
                String leafHash = LedgerHashes.hex(MerkleTree.leafHash(leaves.get(index)));
                String where = "leaf " + index + " of " + size;
                assertThat(buyer.checkProof(proof(index, size, leafHash, path, root), txId)).as(where).isEqualTo("ok");
                if (!path.isEmpty()) {
                    List<String> tampered = new java.util.ArrayList<>(path);
                    tampered.set(0, LedgerHashes.hex(MerkleTree.leafHash(new byte[32])));
                    assertThat(buyer.checkProof(proof(index, size, leafHash, tampered, root), txId)).as(where + ", a path changed").isNotEqualTo("ok");
                    assertThat(buyer.checkProof(proof((index + 1) % size, size, leafHash, path, root), txId)).as(where + ", another index")
                            .isNotEqualTo("ok");
                }
                assertThat(buyer.checkProof(proof(index, size, leafHash, path, root), LedgerHashes.hex(new byte[32])))
                        .as(where + ", another transaction").isNotEqualTo("ok");
                proofs++;
            }
        }
        assertThat(proofs).isEqualTo(45);
        assertThat(buyer.uncaughtErrors()).isEmpty();
    }

    private static java.util.Map<String, Object> proof(int index, int size, String leafHash, List<String> path, String root) {
        return java.util.Map.of("leafIndex", index, "treeSize", size, "leafHash", leafHash, "path", path, "merkleRoot", root);
    }

    /** Stops both gateways, executes the permit application directly on a blueprint replica, waits until it is sealed, restarts them. */
    private void submitWithoutGateways(String email, String instanceId) throws Exception {
        String token = Json.field(Installation.login(front, email, PASSWORD).body(), "accessToken");
        List<ManagedProcess> gateways = cluster.gateways();
        try {
            System.out.println(java.time.Instant.now() + " killing gateways");
            gateways.forEach(cluster::kill);
            supplier.await("the console cut off", () -> !supplier.live());
            supplier.shot("reconnecting");
            Http blueprints = new Http("http://127.0.0.1:" + cluster.replicas("blueprint-service").get(0).port());
            HttpResponse<String> executed = blueprints.post("/api/instances/" + instanceId + "/actions/0/execute", token, "application/json",
                    "{\"data\":{\"site\":\"12 High St\",\"storeys\":2,\"floorArea\":120}}");
            assertThat(executed.statusCode()).as(executed.body()).isEqualTo(202);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                    blueprints.get("/api/instances/" + instanceId, token).body().contains("\"actionId\":1"));
        } finally {
            List<java.util.concurrent.CompletableFuture<Void>> restarts = gateways.stream()
                    .map(g -> java.util.concurrent.CompletableFuture.runAsync(() -> cluster.restart(g))).toList();
            restarts.forEach(java.util.concurrent.CompletableFuture::join);
            System.out.println(java.time.Instant.now() + " gateways back");
        }
    }

    private void organisation(String name, String adminEmail, String adminName) {
        HttpResponse<String> created = front.post("/api/tenants/organizations", admin, "application/json",
                "{\"name\":\"" + name + "\",\"adminEmail\":\"" + adminEmail + "\",\"adminPassword\":\"" + PASSWORD + "\",\"adminName\":\"" + adminName + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }
}
