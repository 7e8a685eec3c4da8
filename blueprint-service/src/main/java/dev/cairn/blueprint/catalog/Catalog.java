package dev.cairn.blueprint.catalog;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.stereotype.Component;

import dev.cairn.platform.auth.Access;
import dev.cairn.platform.auth.Caller;
import dev.cairn.ledger.ObjectIds;
import dev.cairn.platform.problem.ApiException;
import dev.cairn.platform.workflow.Workflow;

/**
 * The blueprints as the rest of the service uses them: who may read one, and each published
 * version compiled once ({@link Workflow}), the 500 most recently used kept. A version never
 * changes, so a compiled one never goes stale.
 */
@Component
public class Catalog {

    public static final String READ_SCOPE = "blueprint:read";
    private static final int KEPT = 500;

    private final BlueprintStore store;
    private final Map<String, Workflow> compiled = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Workflow> eldest) {
            return size() > KEPT;
        }
    };

    Catalog(BlueprintStore store) {
        this.store = store;
    }

    public static void requireId(String id, String what) {
        if (!ObjectIds.isValid(id)) {
            throw ApiException.badRequest("invalid-" + what + "-id", "A " + what + " id is 32 lower-case hex digits");
        }
    }

    /** The draft, if the caller may read it (a user of its organisation, or a service with blueprint:read); otherwise 404. */
    public BlueprintStore.Draft readable(Caller caller, String id) {
        requireId(id, "blueprint");
        BlueprintStore.Draft draft = store.find(id).orElseThrow(() -> ApiException.notFound("blueprint"));
        Access.requireActingFor(caller, draft.organizationId(), READ_SCOPE, "blueprint");
        return draft;
    }

    /** A published version the caller may read. */
    public BlueprintStore.Version readableVersion(Caller caller, String id, int version) {
        readable(caller, id);
        return store.version(id, version).orElseThrow(() -> ApiException.notFound("version " + version + " of the blueprint"));
    }

    /** A published version, compiled. */
    public Workflow workflow(BlueprintStore.Version version) {
        String key = version.blueprintId() + ":" + version.version();
        synchronized (compiled) {
            Workflow known = compiled.get(key);
            if (known != null) {
                return known;
            }
        }
        Workflow workflow = Workflow.of(version.document());
        synchronized (compiled) {
            compiled.put(key, workflow);
        }
        return workflow;
    }

    /** A published version, compiled, by id and number (instances record theirs). */
    public Workflow workflow(String blueprintId, int version) {
        String key = blueprintId + ":" + version;
        synchronized (compiled) {
            Workflow known = compiled.get(key);
            if (known != null) {
                return known;
            }
        }
        return workflow(store.version(blueprintId, version).orElseThrow(() -> new IllegalStateException("version " + key + " is gone")));
    }
}
