package dev.cairn.systemtests;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.cairn.localcluster.process.ManagedProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Wallets through the front door with two wallet replicas: a wallet created on one replica
 * signs on both, its signatures verify, and signing goes on when a replica is killed.
 */
class WalletE2EIT extends AgainstSharedCluster {

    private static final String JSON = "application/json";

    @Test
    void aWalletCreatedOnOneReplicaSignsOnBothAndItsSignaturesVerify() {
        String address = createWallet("ED25519");
        String data = Base64.getEncoder().encodeToString("transfer 10 to bob".getBytes());
        Set<String> signers = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            HttpResponse<String> signed = sign(address, data);
            assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
            signers.add(Http.instance(signed));

            String signature = Json.field(signed.body(), "signature");
            HttpResponse<String> verified = front.post("/api/wallets/verify", admin, JSON, "{\"address\":\"" + address
                    + "\",\"algorithm\":\"ED25519\",\"data\":\"" + data + "\",\"signature\":\"" + signature + "\"}");
            assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
            assertThat(Json.read(verified.body()).get("valid").asBoolean()).isTrue();
        }
        assertThat(signers).as("wallet replicas that signed").hasSize(2)
                .allSatisfy(instance -> assertThat(instance).startsWith("wallet-service@"));

        HttpResponse<String> tampered = front.post("/api/wallets/verify", admin, JSON, "{\"address\":\"" + address
                + "\",\"algorithm\":\"ED25519\",\"data\":\"" + Base64.getEncoder().encodeToString("transfer 99 to bob".getBytes())
                + "\",\"signature\":\"" + Json.field(sign(address, data).body(), "signature") + "\"}");
        assertThat(Json.read(tampered.body()).get("valid").asBoolean()).isFalse();
    }

    @Test
    void signingGoesOnWhenAWalletReplicaIsKilled() throws Exception {
        String address = createWallet("P256");
        String data = Base64.getEncoder().encodeToString("docket 42".getBytes());
        ManagedProcess victim = cluster.replicas("wallet-service").get(1);
        long killedAt;
        try (SteadyLoad load = new SteadyLoad(() -> sign(address, data), 4, 5)) {
            Thread.sleep(2000);
            killedAt = System.nanoTime();
            cluster.kill(victim);
            Thread.sleep(5000);
            load.close();

            Figures.record("wallet replica SIGKILL while signing", load.describe(killedAt));
            long answeredLate = load.outcomes().stream().filter(o -> o.atNanos() >= killedAt + Duration.ofSeconds(1).toNanos())
                    .filter(o -> !o.failed()).count();
            assertThat(answeredLate).as("signatures asked for a second or more after the kill and given").isGreaterThan(30);
            // Only a signature already being computed by the killed replica may be lost; every
            // request sent a second after the kill is answered by the survivor.
            assertThat(load.failures()).allSatisfy(f -> assertThat(f.atNanos()).isLessThan(killedAt + Duration.ofSeconds(1).toNanos()));
        } finally {
            cluster.restart(victim);
        }
        String victimPort = ":" + victim.port();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (int i = 0; i < 6; i++) {
                if (Http.instance(sign(address, data)).endsWith(victimPort)) {
                    return true;
                }
            }
            return false;
        });
    }

    @Test
    void anotherCallerCannotSeeOrUseTheWallet() {
        String address = createWallet("ED25519");
        String otherAdmin = "admin-" + System.nanoTime() + "@other.test";
        HttpResponse<String> organization = front.post("/api/tenants/organizations", admin, JSON, "{\"name\":\"Other "
                + System.nanoTime() + "\",\"adminEmail\":\"" + otherAdmin + "\",\"adminPassword\":\"other organisation password\","
                + "\"adminName\":\"Other\"}");
        assertThat(organization.statusCode()).as(organization.body()).isEqualTo(201);
        String other = Json.field(Installation.login(front, otherAdmin, "other organisation password").body(), "accessToken");
        assertThat(front.get("/api/wallets/" + address, other).statusCode()).isEqualTo(404);
        assertThat(front.post("/api/wallets/" + address + "/sign", other, JSON, "{\"data\":\"aGVsbG8=\"}").statusCode())
                .isEqualTo(404);
        HttpResponse<String> listed = front.get("/api/wallets", other);
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        assertThat(listed.body()).contains("\"items\"").doesNotContain(address);
        // the earlier path answers as an alias, the same
        HttpResponse<String> alias = front.get("/api/v1/wallets/" + address, admin);
        assertThat(alias.statusCode()).as(alias.body()).isEqualTo(200);
        assertThat(alias.body()).isEqualTo(front.get("/api/wallets/" + address, admin).body());

        HttpResponse<String> anonymous = front.post("/api/wallets/" + address + "/sign", JSON, "{\"data\":\"aGVsbG8=\"}");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        HttpResponse<String> mistyped = front.get("/api/wallets/" + address.substring(0, address.length() - 1)
                + (address.endsWith("q") ? "p" : "q"), admin);
        assertThat(mistyped.statusCode()).isEqualTo(400);
        assertThat(mistyped.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("problem+json"));
    }

    private String createWallet(String algorithm) {
        HttpResponse<String> created = front.post("/api/wallets", admin, JSON,
                "{\"name\":\"e2e " + algorithm + "\",\"algorithm\":\"" + algorithm + "\",\"wordCount\":12}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(Json.field(created.body(), "mnemonic").split(" ")).hasSize(12);
        return Json.field(created.body(), "address");
    }

    private HttpResponse<String> sign(String address, String data) {
        return front.post("/api/wallets/" + address + "/sign", admin, JSON, "{\"data\":\"" + data + "\"}");
    }
}
