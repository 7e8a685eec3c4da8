package dev.cairn.validator.clients;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import dev.cairn.ledger.SealingKeys;
import dev.cairn.platform.auth.ServiceTokenClient;
import dev.cairn.platform.http.ServiceHttp;
import dev.cairn.validator.config.ValidatorProperties;

/** The register service, as the validator uses it: registers, their latest dockets, and the docket write path. */
@Component
public class RegisterClient {

    /**
     * What the validator needs to know about a register; {@code online} once its genesis docket is
     * sealed; {@code replica} for a read-only copy of a register sealed on another installation
     * ({@code homeNodeId}), which is never sealed here.
     */
    public record RegisterInfo(String id, String organizationId, boolean online, JsonNode genesis, boolean replica, String homeNodeId) {
    }

    /** The answer to a docket write: 201, or a 409 whose problem {@code type} says why. */
    public record WriteResult(int status, String problemType, String detail, JsonNode body) {
        public boolean written() {
            return status == 201;
        }
    }

    private static final Duration KNOWN_FOR = Duration.ofSeconds(5);
    private record Cached(Optional<RegisterInfo> info, Instant until) {
    }

    private final ServiceHttp http;
    private final Clock clock;
    private static final int KEPT = 10_000;

    /** Registers that exist, the most recently used first out when full; unknown ids are not kept. */
    private final Map<String, Cached> registers = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > KEPT;
        }
    });

    public RegisterClient(ValidatorProperties properties, ServiceTokenClient tokens, JsonMapper json, Clock clock) {
        this.http = new ServiceHttp("register-service", properties.registerUris(), tokens, json);
        this.clock = clock;
    }

    /** The register, or empty when none has this id; answers from a short cache (an online register stays online). */
    public Optional<RegisterInfo> register(String id) {
        Cached cached = registers.get(id);
        if (cached != null && (clock.instant().isBefore(cached.until()) || cached.info().map(RegisterInfo::online).orElse(false))) {
            return cached.info();
        }
        ServiceHttp.Answer answer = http.get("/api/registers/" + id);
        Optional<RegisterInfo> info = switch (answer.status()) {
            case 200 -> Optional.of(info(answer.body()));
            case 404, 400 -> Optional.empty();
            default -> throw new ServiceHttp.UnreachableException("register-service answered " + answer.status(), null);
        };
        if (info.isPresent()) {
            registers.put(id, new Cached(info, clock.instant().plus(KNOWN_FOR)));
        }
        return info;
    }

    /** Registers created but without a genesis docket yet. */
    public List<RegisterInfo> awaitingGenesis(int limit) {
        ServiceHttp.Answer answer = http.get("/api/registers?status=AWAITING_GENESIS&limit=" + limit);
        if (!answer.ok()) {
            throw new ServiceHttp.UnreachableException("register-service answered " + answer.status() + " listing registers", null);
        }
        List<RegisterInfo> found = new ArrayList<>();
        answer.body().values().forEach(register -> found.add(info(register)));
        return found;
    }

    /** The register's latest docket (the signed record), or empty before genesis. */
    public Optional<JsonNode> latestDocket(String id) {
        ServiceHttp.Answer answer = http.get("/api/registers/" + id + "/dockets/latest");
        if (answer.status() == 404) {
            return Optional.empty();
        }
        return Optional.of(docketOf(answer));
    }

    public JsonNode docket(String id, long height) {
        return docketOf(http.get("/api/registers/" + id + "/dockets/" + height));
    }

    /** A sealed transaction, as signed, if the register holds it. */
    public Optional<JsonNode> transaction(String id, String txId) {
        return sealed(id, txId).map(found -> found.path("transaction"));
    }

    /** The height at which the register sealed this transaction, if it did. */
    public Optional<Long> sealedHeight(String id, String txId) {
        return sealed(id, txId).map(found -> found.path("height").asLong());
    }

    /** The register's view of a sealed transaction (height and the transaction), if it holds it. */
    private Optional<JsonNode> sealed(String id, String txId) {
        ServiceHttp.Answer answer = http.get("/api/registers/" + id + "/transactions/" + txId);
        if (answer.status() == 404) {
            return Optional.empty();
        }
        if (!answer.ok()) {
            throw new ServiceHttp.UnreachableException("register-service answered " + answer.status() + " reading a transaction", null);
        }
        return Optional.of(answer.body());
    }

    /** The sealing keys in force for the register's next docket, or empty before genesis. */
    public Optional<SealingKeys> sealingKeys(String id) {
        ServiceHttp.Answer answer = http.get("/api/registers/" + id + "/sealing-keys");
        if (answer.status() == 404) {
            return Optional.empty();
        }
        if (!answer.ok()) {
            throw new ServiceHttp.UnreachableException("register-service answered " + answer.status() + " for sealing keys", null);
        }
        return Optional.of(SealingKeys.parse(answer.body().path(SealingKeys.FIELD), "the register's sealing keys"));
    }

    /** Hands a signed tree head to the register; false when it refused it. */
    public boolean publishHead(String id, JsonNode head) {
        ServiceHttp.Answer answer = http.post("/api/registers/" + id + "/head", head);
        if (answer.status() / 100 == 4) {
            return false;
        }
        if (!answer.ok()) {
            throw new ServiceHttp.UnreachableException("register-service answered " + answer.status() + " for a tree head", null);
        }
        return true;
    }

    public WriteResult writeDocket(String id, JsonNode docket, List<JsonNode> transactions, long leaseEpoch) {
        ServiceHttp.Answer answer = http.post("/api/registers/" + id + "/dockets",
                Map.of("docket", docket, "transactions", transactions, "leaseEpoch", leaseEpoch));
        if (answer.status() / 100 == 4 && answer.status() != 401 && answer.status() != 403 && answer.status() != 404 || answer.ok()) {
            String type = answer.body().path("type").asString("");
            return new WriteResult(answer.status(), type.substring(type.lastIndexOf('/') + 1), answer.body().path("detail").asString(""),
                    answer.body());
        }
        throw new ServiceHttp.UnreachableException("register-service refused docket " + docket.path("height") + " of " + id + ": "
                + answer.status() + " " + answer.body().path("detail").asString(""), null);
    }

    private static JsonNode docketOf(ServiceHttp.Answer answer) {
        if (!answer.ok()) {
            throw new ServiceHttp.UnreachableException("register-service answered " + answer.status() + " reading a docket", null);
        }
        return answer.body().path("docket");
    }

    private static RegisterInfo info(JsonNode register) {
        JsonNode replica = register.path("replica");
        boolean isReplica = replica.isObject();
        return new RegisterInfo(register.path("id").asString(), register.path("organizationId").asString(null),
                "ONLINE".equals(register.path("status").asString()), register.path("genesis"), isReplica,
                isReplica ? replica.path("homeNodeId").asString(null) : null);
    }
}
