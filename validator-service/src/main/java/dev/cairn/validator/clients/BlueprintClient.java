package dev.cairn.validator.clients;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import dev.cairn.platform.auth.ServiceTokenClient;
import dev.cairn.platform.http.ServiceHttp;
import dev.cairn.platform.workflow.Workflow;
import dev.cairn.validator.config.ValidatorProperties;

/**
 * Published blueprint versions from the blueprint service, compiled for replaying workflow
 * steps. A version never changes, so it is kept once fetched (the 1,000 most recently used).
 */
@Component
public class BlueprintClient {

    /** A published version: the organisation it belongs to, and its rules. */
    public record Published(String blueprintId, int version, String organizationId, Workflow workflow) {
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

    /** The published version, or empty when the blueprint or the version does not exist. */
    public Optional<Published> version(String blueprintId, int version) {
        String key = blueprintId + ":" + version;
        synchronized (published) {
            Published known = published.get(key);
            if (known != null) {
                return Optional.of(known);
            }
        }
        ServiceHttp.Answer answer = http.get("/api/blueprints/" + blueprintId + "/versions/" + version);
        if (answer.status() == 404 || answer.status() == 400) {
            return Optional.empty();
        }
        if (!answer.ok()) {
            throw new ServiceHttp.UnreachableException("blueprint-service answered " + answer.status(), null);
        }
        Published found = new Published(blueprintId, version, answer.body().path("organizationId").asString(),
                Workflow.of(answer.body().path("blueprint")));
        synchronized (published) {
            published.put(key, found);
        }
        return Optional.of(found);
    }
}
