package dev.cairn.blueprint.clients;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import dev.cairn.blueprint.config.BlueprintProperties;
import dev.cairn.platform.auth.ServiceTokenClient;
import dev.cairn.platform.http.ServiceHttp;

/** The validator service: submitting a step's transaction, and asking what became of it. */
@Component
public class ValidatorClient {

    /** The validator's answer: 2xx accepted (or known), 4xx refused with a problem, anything else unavailable. */
    public record Answer(int status, JsonNode body) {
        public boolean accepted() {
            return status / 100 == 2;
        }

        public boolean refused() {
            return status / 100 == 4;
        }

        public String problemType() {
            String type = body.path("type").asString("");
            return type.substring(type.lastIndexOf('/') + 1);
        }
    }

    private final ServiceHttp http;

    ValidatorClient(BlueprintProperties properties, ServiceTokenClient tokens, JsonMapper json) {
        this.http = new ServiceHttp("validator-service", properties.validatorUris(), tokens, json);
    }

    public Answer submit(JsonNode transaction) {
        ServiceHttp.Answer answer = http.post("/api/transactions", transaction);
        return new Answer(answer.status(), answer.body());
    }

    /** {@code pending}, {@code sealed} (with {@code height}) or {@code rejected} (with {@code reason}); status 404 when unknown. */
    public Answer status(String registerId, String txId) {
        ServiceHttp.Answer answer = http.get("/api/transactions/" + registerId + "/" + txId);
        return new Answer(answer.status(), answer.body());
    }
}
