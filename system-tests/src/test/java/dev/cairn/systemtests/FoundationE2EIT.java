package dev.cairn.systemtests;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import dev.cairn.localcluster.LocalCluster;
import dev.cairn.localcluster.ServiceCatalog;
import dev.cairn.localcluster.process.ManagedProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.awaitility.Awaitility.await;

/**
 * The whole suite with two replicas of every service behind two gateways (and nginx when it is
 * installed): health aggregation, load spread, and what clients see when replicas die.
 */
class FoundationE2EIT extends AgainstSharedCluster {

    @Test
    void healthListsEveryReadyReplicaOfEveryService() {
        HttpResponse<String> response = front.get("/api/health");
        assertThat(response.statusCode()).isEqualTo(200);
        for (ServiceCatalog.Service service : ServiceCatalog.SERVICES) {
            int replicas = cluster.replicas(service.name()).size();
            assertThat(replicas).as(service.name()).isGreaterThanOrEqualTo(2);
            assertThat(response.body()).contains("\"" + service.name() + "\":{\"status\":\"UP\",\"ready\":" + replicas + ",\"total\":" + replicas);
            for (ManagedProcess replica : cluster.replicas(service.name())) {
                assertThat(response.body()).contains("\"instance\":\"" + service.name() + "@").contains(":" + replica.port() + "\"");
            }
        }
        assertThat(response.headers().firstValue("X-Cairn-Gateway")).hasValueSatisfying(id -> assertThat(id).startsWith("gateway@"));
    }

    @Test
    void everyReplicaExposesPrometheusMetricsAndItsIdentity() {
        for (ServiceCatalog.Service service : ServiceCatalog.SERVICES) {
            ManagedProcess replica = cluster.replicas(service.name()).get(0);
            Http direct = new Http(LocalCluster.url(replica));
            HttpResponse<String> metrics = direct.get("/actuator/prometheus");
            assertThat(metrics.statusCode()).as(service.name()).isEqualTo(200);
            assertThat(metrics.body()).contains("jvm_memory_used_bytes").contains("http_server_requests");
            HttpResponse<String> info = direct.get("/actuator/info");
            assertThat(info.body()).contains("\"id\":\"" + service.name() + "@").contains("\"artifact\":\"" + service.name() + "\"");
            assertThat(info.body()).as("the commit the replica was built from").containsPattern("\"git\":\\{.*\"commit\":\\{.*\"id\":\"[0-9a-f]{7}");
            assertThat(direct.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void requestsToOneServiceAreServedByBothReplicas() {
        Map<String, Integer> byInstance = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response = front.get("/api/docs/wallet-service");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"title\":\"Cairn wallet-service\"");
            byInstance.merge(Http.instance(response), 1, Integer::sum);
        }
        assertThat(byInstance).hasSize(2);
        for (ManagedProcess replica : cluster.replicas("wallet-service")) {
            assertThat(byInstance.keySet()).anySatisfy(id -> assertThat(id).startsWith("wallet-service@").endsWith(":" + replica.port()));
        }
    }

    @Test
    void killingAReplicaUnderSteadyLoadFailsNoRequestOnceTheGatewayKnows() throws Exception {
        ManagedProcess victim = cluster.replicas("register-service").get(1);
        String victimPort = ":" + victim.port();
        // the load is the OpenAPI document, which each replica builds on its first request (seconds): build it first
        for (ManagedProcess replica : cluster.replicas("register-service")) {
            assertThat(new Http(LocalCluster.url(replica)).get("/v3/api-docs").statusCode()).isEqualTo(200);
        }
        long killedAt;
        try (SteadyLoad load = new SteadyLoad(front, "/api/docs/register-service", 4, 5); Restarting restart = new Restarting(victim)) {
            Thread.sleep(2000);
            killedAt = System.nanoTime();
            cluster.kill(victim);
            Thread.sleep(5000);
            load.close();

            List<SteadyLoad.Outcome> after = load.outcomes().stream().filter(o -> o.atNanos() >= killedAt).toList();
            long servedByVictimLate = after.stream()
                    .filter(o -> o.atNanos() >= killedAt + Duration.ofSeconds(1).toNanos())
                    .filter(o -> o.instance() != null && o.instance().endsWith(victimPort)).count();
            long failuresAfterNotice = load.failures().stream()
                    .filter(o -> o.atNanos() >= killedAt + Duration.ofSeconds(3).toNanos()).count();
            Figures.record("replica SIGKILL under load", load.describe(killedAt) + ", nginx " + cluster.hasNginx());
            long answeredLate = after.stream().filter(o -> o.atNanos() >= killedAt + Duration.ofSeconds(1).toNanos())
                    .filter(o -> !o.failed()).count();
            assertThat(answeredLate).as("requests sent a second or more after the kill and answered").isGreaterThan(30);
            assertThat(servedByVictimLate).isZero();
            assertThat(failuresAfterNotice).isZero();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (int i = 0; i < 6; i++) {
                if (Http.instance(front.get("/api/docs/register-service")).endsWith(victimPort)) {
                    return true;
                }
            }
            return false;
        });
    }

    /** Restarts a killed replica however the test ends, so that the tests after it find the whole cluster. */
    private final class Restarting implements AutoCloseable {
        private final ManagedProcess replica;

        Restarting(ManagedProcess replica) {
            this.replica = replica;
        }

        @Override
        public void close() {
            cluster.restart(replica);
        }
    }

    @Test
    void serviceWithNoLiveReplicaAnswers503QuicklyAndRecovers() {
        List<ManagedProcess> peers = cluster.replicas("peer-service");
        peers.forEach(cluster::kill);
        try {
            String token = Installation.adminToken(cluster);
            long started = System.nanoTime();
            HttpResponse<String> response = front.get("/api/docs/peer-service", token);
            double seconds = (System.nanoTime() - started) / 1e9;
            Figures.record("no live replica", String.format("first request answered %d in %.3f s", response.statusCode(), seconds));
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(response.body()).contains("\"status\":503");
            assertThat(seconds).isLessThan(3.0);

            HttpResponse<String> health = front.get("/api/health");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("\"peer-service\":{\"status\":\"DOWN\",\"ready\":0,\"total\":2");
        } finally {
            List<CompletableFuture<Void>> restarts = new ArrayList<>();
            peers.forEach(peer -> restarts.add(CompletableFuture.runAsync(() -> cluster.restart(peer))));
            restarts.forEach(CompletableFuture::join);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> front.get("/api/health").statusCode() == 200);
    }

    @Test
    void theEdgeRefusesUnknownRoutesAndOversizedBodies() {
        HttpResponse<String> unknown = front.get("/api/no-such-thing", Installation.adminToken(cluster));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(unknown.body()).contains("\"status\":404");

        HttpResponse<String> tooLarge = front.post("/api/wallets", "application/json", "{\"data\":\"" + "A".repeat(3 * 1024 * 1024) + "\"}");
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void requestsRefusedBeforeAnyServiceCodeRunsAreProblemsToo() {
        String token = Installation.adminToken(cluster);
        // nginx refuses an encoded NUL; a service's Tomcat refuses an encoded slash; a request
        // line longer than the gateway's and the services' limits stops at nginx (8k)
        for (String path : List.of("/api/registers/%C3%A4%00/dockets/latest", "/api/instances/..%2F..%2Factuator%2Fenv/events",
                "/api/validator/leases?registerId=" + "x".repeat(5_000), "/api/registers/resolve?did=" + "x".repeat(20_000))) {
            HttpResponse<String> refused = front.get(path, token);
            assertThat(refused.statusCode()).as(path).isBetween(400, 499);
            assertThat(refused.headers().firstValue("Content-Type").orElse("")).as(path).startsWith("application/problem+json");
            assertThat(refused.body()).as(path).contains("\"status\":" + refused.statusCode());
        }
    }

    @Test
    void killingAGatewayBehindNginxFailsNoRequest() throws Exception {
        assumeTrue(cluster.hasNginx(), "nginx is not installed (bin/cairn setup installs it)");
        ManagedProcess gateway = cluster.gateways().get(1);
        long killedAt;
        try (SteadyLoad load = new SteadyLoad(front, "/api/docs/tenant-service", 4, 5)) {
            Thread.sleep(1500);
            killedAt = System.nanoTime();
            cluster.kill(gateway);
            Thread.sleep(4000);
            load.close();
            Figures.record("gateway SIGKILL behind nginx", load.describe(killedAt));
            // A response already under way on the killed gateway cannot be saved by anyone;
            // once nginx has seen the refused connection, nothing more may fail.
            assertThat(load.failures()).allSatisfy(f -> assertThat(f.atNanos()).isLessThan(killedAt + Duration.ofSeconds(1).toNanos()));
            assertThat(load.failures().size()).isLessThanOrEqualTo(4);
            // and requests did keep coming after the kill, all answered (by the gateway left)
            long servedAfter = load.outcomes().stream().filter(o -> o.atNanos() >= killedAt + Duration.ofSeconds(1).toNanos())
                    .filter(o -> o.status() == 200).count();
            assertThat(servedAfter).as("requests answered from a second after the kill on").isGreaterThanOrEqualTo(20);
        } finally {
            cluster.restart(gateway);
        }
    }
}
