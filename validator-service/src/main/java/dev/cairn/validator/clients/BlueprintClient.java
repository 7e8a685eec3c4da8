package dev.cairn.validator.clients;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import dev.cairn.platform.auth.ServiceTokenClient;
import dev.cairn.platform.ledger.DataSchema;
import dev.cairn.platform.http.ServiceHttp;
import dev.cairn.validator.config.ValidatorProperties;

/**
 * Published blueprints from the blueprint service, with each action's data schema compiled. A
 * published blueprint never changes, so it is kept once fetched (the 1,000 most recently used).
 */
@Component
public class BlueprintClient {

    /** A published blueprint: its organisation and its actions' schemas by action id. */
    public record Published(String id, String organizationId, Map<String, DataSchema> actions) {
    }

    /** What the blueprint service says about a blueprint id. */
    public interface Lookup {
        record Found(Published blueprint) implements Lookup {
        }

        record Draft(String organizationId) implements Lookup {
        }

        record Unknown() implements Lookup {
        }
    }

    private static final int KEPT = 1000;

    private final ServiceHttp http;
    private final Map<String, Published> published = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Published> eldest) {
            return size() > KEPT;
        }
    };

    public BlueprintClient(ValidatorProperties properties, ServiceTokenClient tokens, JsonMapper json) {
        this.http = new ServiceHttp("blueprint-service", properties.blueprintUris(), tokens, json);
    }

    public Lookup find(String blueprintId) {
        synchronized (published) {
            Published known = published.get(blueprintId);
            if (known != null) {
                return new Lookup.Found(known);
            }
        }
        ServiceHttp.Answer answer = http.get("/api/blueprints/" + blueprintId);
        if (answer.status() == 404 || answer.status() == 400) {
            return new Lookup.Unknown();
        }
        if (!answer.ok()) {
            throw new ServiceHttp.UnreachableException("blueprint-service answered " + answer.status(), null);
        }
        JsonNode body = answer.body();
        if (!"PUBLISHED".equals(body.path("status").asString())) {
            return new Lookup.Draft(body.path("organizationId").asString());
        }
        Map<String, DataSchema> actions = new LinkedHashMap<>();
        body.path("actions").values().forEach(action -> actions.put(action.path("id").asString(), DataSchema.of(action.path("dataSchema"))));
        Published found = new Published(blueprintId, body.path("organizationId").asString(), Map.copyOf(actions));
        synchronized (published) {
            published.put(blueprintId, found);
        }
        return new Lookup.Found(found);
    }

    public Optional<DataSchema> schema(Published blueprint, String actionId) {
        return Optional.ofNullable(blueprint.actions().get(actionId));
    }
}
