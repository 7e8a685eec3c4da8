package dev.cairn.blueprint.catalog;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import tools.jackson.databind.JsonNode;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.cairn.platform.auth.Access;
import dev.cairn.platform.auth.Caller;
import dev.cairn.platform.ledger.DataSchema;
import dev.cairn.platform.problem.ApiException;

/**
 * Blueprints of the caller's organisation: an Administrator drafts and publishes them; users of
 * the organisation, and services with {@code blueprint:read} acting for it, read them. Anyone
 * else is told a blueprint does not exist.
 */
@RestController
@RequestMapping("/api/blueprints")
class BlueprintController {

    static final String READ_SCOPE = "blueprint:read";

    record ActionRequest(@NotNull @Pattern(regexp = "[A-Za-z0-9_-]{1,64}") String id, @Size(max = 200) String title,
            @NotNull JsonNode dataSchema) {
    }

    record BlueprintRequest(@NotBlank @Size(max = 200) String title, @Size(max = 2000) String description,
            @NotEmpty @Size(max = 100) List<@Valid @NotNull ActionRequest> actions) {
    }

    private final BlueprintStore store;
    private final Clock clock;

    BlueprintController(BlueprintStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @PostMapping
    ResponseEntity<Blueprint> create(Caller caller, @Valid @RequestBody BlueprintRequest request) {
        Access.requireUser(caller);
        Access.requireAdministrator(caller);
        if (caller.orgId() == null) {
            throw ApiException.badRequest("no-organization", "The caller belongs to no organisation");
        }
        Blueprint created = store.create(caller.orgId(), request.title().strip(), request.description(), actions(request), caller.subject(),
                clock.instant());
        return ResponseEntity.created(URI.create("/api/blueprints/" + created.id())).body(created);
    }

    @GetMapping
    List<Blueprint> list(Caller caller) {
        return caller.orgId() == null ? List.of() : store.ofOrganization(caller.orgId());
    }

    @GetMapping("/{id}")
    Blueprint get(Caller caller, @PathVariable String id) {
        return readable(caller, id);
    }

    /** Replaces a draft; a published blueprint is 409 {@code blueprint-published}. */
    @PutMapping("/{id}")
    Blueprint replace(Caller caller, @PathVariable String id, @Valid @RequestBody BlueprintRequest request) {
        administrable(caller, id);
        if (!store.replaceDraft(id, request.title().strip(), request.description(), actions(request), clock.instant())) {
            throw ApiException.conflict("blueprint-published", "A published blueprint cannot be changed; create a new one");
        }
        return readable(caller, id);
    }

    /** Publishes the blueprint; from then on it never changes. Publishing it again answers the same. */
    @PostMapping("/{id}/publish")
    Blueprint publish(Caller caller, @PathVariable String id) {
        administrable(caller, id);
        store.publish(id, clock.instant());
        return readable(caller, id);
    }

    private Blueprint readable(Caller caller, String id) {
        if (!id.matches("[0-9a-f]{32}")) {
            throw ApiException.badRequest("invalid-blueprint-id", "A blueprint id is 32 lower-case hex digits");
        }
        Blueprint blueprint = store.find(id).orElseThrow(() -> ApiException.notFound("blueprint"));
        Access.requireActingFor(caller, blueprint.organizationId(), READ_SCOPE, "blueprint");
        return blueprint;
    }

    private Blueprint administrable(Caller caller, String id) {
        Blueprint blueprint = readable(caller, id);
        Access.requireUser(caller);
        Access.requireAdministrator(caller);
        return blueprint;
    }

    private static List<Blueprint.Action> actions(BlueprintRequest request) {
        Set<String> ids = new HashSet<>();
        List<Blueprint.Action> actions = new ArrayList<>();
        for (ActionRequest action : request.actions()) {
            if (!ids.add(action.id())) {
                throw ApiException.badRequest("duplicate-action", "Action id '" + action.id() + "' appears twice");
            }
            String problem = DataSchema.problemWith(action.dataSchema());
            if (problem != null) {
                throw ApiException.badRequest("invalid-data-schema", "The data schema of action '" + action.id() + "' is not a valid JSON Schema: "
                        + problem);
            }
            actions.add(new Blueprint.Action(action.id(), action.title(), action.dataSchema()));
        }
        return actions;
    }
}
