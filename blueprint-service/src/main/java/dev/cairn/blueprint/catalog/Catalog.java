package dev.cairn.blueprint.catalog;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import dev.cairn.platform.auth.Access;
import dev.cairn.platform.auth.Caller;
import dev.cairn.platform.problem.ApiException;
import dev.cairn.platform.workflow.BlueprintRules;
import dev.cairn.platform.workflow.Workflow;
import dev.cairn.platform.web.Ids;

/**
 * The blueprints: drafts created, replaced and published by their organisation's Administrators
 * and Designers, who may read one, and each published version compiled once ({@link Workflow}), the 500 most recently used kept. A version never
 * changes, so a compiled one never goes stale.
 */
@Component
public class Catalog {

    public static final String READ_SCOPE = "blueprint:read";
    private static final int KEPT = 500;

    private final BlueprintStore store;
    private final Clock clock;
    private final Map<String, Workflow> compiled = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Workflow> eldest) {
            return size() > KEPT;
        }
    };

    Catalog(BlueprintStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** A new draft of the caller's organisation (Administrators and Designers). */
    public BlueprintStore.Draft create(Caller caller, JsonNode document) {
        requireDesigner(caller);
        if (caller.orgId() == null) {
            throw ApiException.badRequest("no-organization", "The caller belongs to no organisation");
        }
        return store.create(caller.orgId(), title(document), document, caller.subject(), clock.instant());
    }

    /** The drafts of the caller's organisation; none for a caller of no organisation. */
    public List<BlueprintStore.Draft> ofOrganization(Caller caller) {
        return caller.orgId() == null ? List.of() : store.ofOrganization(caller.orgId());
    }

    /** Replaces a draft; its published versions stay as they are. */
    public BlueprintStore.Draft replace(Caller caller, String id, JsonNode document) {
        administrable(caller, id);
        store.replace(id, title(document), document, clock.instant());
        return readable(caller, id);
    }

    /** A version published, and whether this call made it (publishing an unchanged draft again answers its latest version). */
    public record Published(BlueprintStore.Version version, boolean made) {
    }

    /**
     * Publishes the draft as the next version; 400 {@code invalid-blueprint} with every error
     * when it has any.
     */
    public Published publish(Caller caller, String id) {
        BlueprintStore.Draft draft = administrable(caller, id);
        BlueprintRules.Report report = BlueprintRules.check(draft.document());
        if (!report.valid()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid-blueprint", "Invalid request", report.errors().size()
                    + " problem(s) stop this blueprint from being published; the first: " + report.errors().get(0).pointer() + " "
                    + report.errors().get(0).message(), Map.of("errors", report.errors(), "warnings", report.warnings()));
        }
        BlueprintStore.Version version = store.publish(draft, caller.subject(), clock.instant());
        return new Published(version, version.version() > draft.latestVersion());
    }

    /** The published versions of a blueprint the caller may read. */
    public List<BlueprintStore.Version> versions(Caller caller, String id) {
        readable(caller, id);
        return store.versions(id);
    }

    private BlueprintStore.Draft administrable(Caller caller, String id) {
        BlueprintStore.Draft draft = readable(caller, id);
        requireDesigner(caller);
        return draft;
    }

    private static void requireDesigner(Caller caller) {
        Access.requireUser(caller);
        if (!caller.isAdministrator() && !caller.hasRole(Caller.DESIGNER)) {
            throw new ApiException(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", "This operation needs the Administrator or Designer role");
        }
    }

    private static String title(JsonNode document) {
        return document.path("title").stringValue().strip();
    }

    /** The draft, if the caller may read it (a user of its organisation, or a service with blueprint:read); otherwise 404. */
    public BlueprintStore.Draft readable(Caller caller, String id) {
        Ids.require(id, "blueprint");
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
