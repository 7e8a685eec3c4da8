package dev.cairn.peer.clients;

import java.util.Optional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;

import dev.cairn.peer.config.PeerProperties;
import dev.cairn.platform.auth.ServiceTokenClient;
import dev.cairn.platform.http.ServiceHttp;

/**
 * This installation's register service, as the peer service uses it: the registers it
 * advertises (read as Cairn's own service) and the read-only replicas it keeps of other
 * installations' registers ({@code register:write-replica}).
 */
@Component
public class RegisterService {

    private final ServiceHttp http;
    private final JsonMapper json;

    public RegisterService(PeerProperties properties, ServiceTokenClient tokens, JsonMapper json) {
        this.http = new ServiceHttp("register-service", properties.registerUris(), tokens, json);
        this.json = json;
    }

    /** The register's view, or empty when there is none with this id. */
    public Optional<JsonNode> register(String id) {
        return found(http.get("/api/registers/" + id), "reading register " + id);
    }

    /** Whether the caller (a user's token) may read the register. */
    public boolean readableBy(String bearerToken, String id) {
        return http.asCaller(bearerToken, "GET", "/api/registers/" + id, null).status() == 200;
    }

    /** The latest signed tree head it keeps, if any. */
    public Optional<JsonNode> head(String id) {
        return found(http.get("/api/registers/" + id + "/head"), "reading the head of register " + id);
    }

    public Optional<JsonNode> sealingKeys(String id) {
        return found(http.get("/api/registers/" + id + "/sealing-keys"), "reading the sealing keys of register " + id);
    }

    public Optional<JsonNode> docket(String id, long height) {
        return found(http.get("/api/registers/" + id + "/dockets/" + height), "reading docket " + height + " of register " + id);
    }

    /**
     * Up to {@code limit} dockets from {@code from}, each with its transactions, exactly as signed;
     * the register service first waits up to {@code waitMillis} (at most 5 s) for a docket above
     * {@code from}.
     */
    public JsonNode chain(String id, long from, int limit, long waitMillis) {
        ServiceHttp.Answer answer = http.get("/api/registers/" + id + "/chain?from=" + from + "&limit=" + limit + "&waitMillis=" + waitMillis);
        if (!answer.ok()) {
            throw failed(answer, "reading the chain of register " + id);
        }
        return answer.body();
    }

    /** Creates the read-only replica of another installation's register; the answer as given (201, 200 again, 409 ...). */
    public ServiceHttp.Answer createReplica(String id, String organizationId, String name, String homeNodeId, String genesisHash) {
        ObjectNode body = json.createObjectNode().put("id", id).put("organizationId", organizationId).put("name", name)
                .put("homeNodeId", homeNodeId).put("genesisHash", genesisHash);
        return http.post("/api/registers/replicas", body);
    }

    /** Stores a batch of dockets in the replica, checked whole first; the answer as given (200, 400 invalid-docket, 409 ...). */
    public ServiceHttp.Answer writeReplica(String id, JsonNode dockets, JsonNode head) {
        ObjectNode body = json.createObjectNode();
        body.set("dockets", dockets);
        if (head != null) {
            body.set("head", head);
        }
        return http.post("/api/registers/" + id + "/replica/dockets", body);
    }

    /** Keeps the home's signed head for the replica, once its dockets are stored (checked against them there). */
    public ServiceHttp.Answer postHead(String id, JsonNode head) {
        return http.post("/api/registers/" + id + "/head", head);
    }

    private static Optional<JsonNode> found(ServiceHttp.Answer answer, String doing) {
        if (answer.status() == 404) {
            return Optional.empty();
        }
        if (!answer.ok()) {
            throw failed(answer, doing);
        }
        return Optional.of(answer.body());
    }

    private static ServiceHttp.UnreachableException failed(ServiceHttp.Answer answer, String doing) {
        return new ServiceHttp.UnreachableException("register-service answered " + answer.status() + " " + doing + ": "
                + answer.body().path("detail").asString(""), null);
    }
}
