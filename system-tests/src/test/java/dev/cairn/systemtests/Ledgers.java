package dev.cairn.systemtests;

import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Registers and transactions through the front door, as the ledger tests use them. */
final class Ledgers {

    private Ledgers() {
    }

    /** A new register of the caller's organisation, once a validator sealed its genesis docket. */
    static String onlineRegister(Http front, String admin, String name) {
        HttpResponse<String> created = front.post("/api/registers", admin, "application/json", "{\"name\":\"" + name + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String registerId = Json.field(created.body(), "id");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> "ONLINE".equals(Json.field(front.get("/api/registers/" + registerId, admin).body(), "status")));
        JsonNode genesis = Json.read(front.get("/api/registers/" + registerId + "/dockets/0", admin).body()).path("docket");
        assertThat(genesis.path("validatorId").asString()).startsWith("validator-service@");
        return registerId;
    }

    /** The validator's status of a transaction once sealed, which the register agrees with. */
    static JsonNode awaitSealed(Http front, String admin, String registerId, String txId) {
        String path = "/api/transactions/" + registerId + "/" + txId;
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> "sealed".equals(Json.field(front.get(path, admin).body(), "status")));
        JsonNode status = Json.read(front.get(path, admin).body());
        JsonNode stored = Json.read(front.get("/api/registers/" + registerId + "/transactions/" + txId, admin).body());
        assertThat(stored.path("height").asLong()).isEqualTo(status.path("height").asLong());
        return status;
    }
}
