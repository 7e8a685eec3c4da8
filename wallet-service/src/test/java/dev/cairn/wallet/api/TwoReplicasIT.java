package dev.cairn.wallet.api;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.cairn.testsupport.JwksServer;
import dev.cairn.testsupport.ReplicaHttp;
import dev.cairn.testsupport.TestStores;
import dev.cairn.wallet.WalletServiceApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two wallet replicas on one database: a wallet created through one signs through the other,
 * and a deletion on one stops signing on the other at once, although the other had the key
 * unlocked.
 */
class TwoReplicasIT {

    private static final JwksServer JWKS = new JwksServer();
    private static ConfigurableApplicationContext first;
    private static ConfigurableApplicationContext second;

    @BeforeAll
    static void start() {
        String url = TestStores.freshDatabase("cairn_wallet_replicas");
        first = replica(url);
        second = replica(url);
    }

    private static ConfigurableApplicationContext replica(String url) {
        return new SpringApplicationBuilder(WalletServiceApplication.class).run("--server.port=0", "--spring.datasource.url=" + url,
                "--spring.datasource.username=cairn", "--spring.datasource.password=" + TestStores.POSTGRES_PASSWORD,
                "--spring.data.redis.url=" + TestStores.endpoints().redisUri(), "--cairn.auth.jwks-uris=" + JWKS.uri(),
                "--cairn.wallet.keys.local.key=" + TestStores.KEY_ENCRYPTION_KEY, "--cairn.wallet.keys.unlocked-for=10m");
    }

    @AfterAll
    static void stop() {
        first.close();
        second.close();
        JWKS.close();
    }

    @Test
    void createOnOneSignOnTheOtherDeleteSeenEverywhere() {
        String alice = JWKS.userToken("alice-" + UUID.randomUUID(), UUID.randomUUID().toString());
        HttpResponse<String> created = call(first, "POST", "/api/wallets", alice, "{\"name\":\"shared\",\"algorithm\":\"ED25519\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String address = WalletApiSupport.JSON.readTree(created.body()).get("address").asString();
        String sign = "/api/wallets/" + address + "/sign";
        assertThat(call(second, "POST", sign, alice, "{\"data\":\"aGVsbG8=\"}").statusCode()).isEqualTo(200);
        assertThat(call(first, "POST", sign, alice, "{\"data\":\"aGVsbG8=\"}").statusCode()).isEqualTo(200);

        assertThat(call(first, "DELETE", "/api/wallets/" + address, alice, null).statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(2)).until(() -> call(second, "POST", sign, alice, "{\"data\":\"aGVsbG8=\"}").statusCode() == 404);
    }

    @Test
    void replicasAskingForAServicesSystemWalletAtOnceAllGetTheSameOne() throws Exception {
        String service = JWKS.serviceToken("validator-" + UUID.randomUUID(), null, "wallet:sign wallet:system");
        String path = "/api/wallets/system/validator";
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> asked = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ConfigurableApplicationContext replica = i % 2 == 0 ? first : second;
            asked.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return call(replica, "PUT", path, service, "{\"algorithm\":\"ED25519\"}");
            }));
        }
        go.countDown();
        java.util.Set<String> addresses = new java.util.HashSet<>();
        for (var answer : asked) {
            HttpResponse<String> response = answer.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).doesNotContain("mnemonic");
            addresses.add(WalletApiSupport.JSON.readTree(response.body()).get("address").asString());
        }
        assertThat(addresses).hasSize(1);
        String address = addresses.iterator().next();
        assertThat(call(second, "POST", "/api/wallets/" + address + "/sign", service, "{\"data\":\"aGVsbG8=\"}").statusCode()).isEqualTo(200);

        String user = JWKS.userToken("mallory-" + UUID.randomUUID(), UUID.randomUUID().toString());
        assertThat(call(first, "PUT", path, user, "{\"algorithm\":\"ED25519\"}").statusCode()).isEqualTo(403);
        String withoutScope = JWKS.serviceToken("other-" + UUID.randomUUID(), null, "wallet:sign");
        assertThat(call(first, "PUT", path, withoutScope, "{\"algorithm\":\"ED25519\"}").statusCode()).isEqualTo(403);
        assertThat(call(first, "PUT", "/api/wallets/system/Not%20A%20Name", service, "{\"algorithm\":\"ED25519\"}").statusCode())
                .isEqualTo(400);
    }

    private HttpResponse<String> call(ConfigurableApplicationContext replica, String method, String path, String token, String body) {
        return ReplicaHttp.call(replica, method, path, token, body);
    }
}
