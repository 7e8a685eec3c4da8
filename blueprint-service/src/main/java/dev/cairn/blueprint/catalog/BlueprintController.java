package dev.cairn.blueprint.catalog;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.cairn.platform.auth.Caller;
import dev.cairn.platform.problem.ApiException;
import dev.cairn.platform.workflow.BlueprintRules;
import dev.cairn.platform.workflow.Problem;

/**
 * Blueprints of the caller's organisation, in the reference's JSON model. An Administrator or
 * Designer drafts them (a draft may be saved with problems, and {@code validate} lists them) and
 * publishes them: each publication is an immutable version 1, 2, ... that instances run. Users
 * of the organisation, and services with {@code blueprint:read}, read them; anyone else is told
 * a blueprint does not exist.
 */
@RestController
@RequestMapping("/api/blueprints")
class BlueprintController {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record BlueprintView(String id, String organizationId, String title, String status, int latestVersion, JsonNode blueprint,
            Validation validation, String createdBy, Instant createdAt, Instant updatedAt, Instant publishedAt) {
    }

    record Validation(boolean valid, List<Problem> errors, List<Problem> warnings) {
        static Validation of(BlueprintRules.Report report) {
            return new Validation(report.valid(), report.errors(), report.warnings());
        }
    }

    record VersionView(String blueprintId, String organizationId, int version, String title, JsonNode blueprint, String publishedBy,
            Instant publishedAt) {
        static VersionView of(BlueprintStore.Version v) {
            return new VersionView(v.blueprintId(), v.organizationId(), v.version(), v.title(), v.document(), v.publishedBy(), v.publishedAt());
        }
    }

    record VersionSummary(int version, String title, String publishedBy, Instant publishedAt) {
    }

    private final Catalog catalog;

    BlueprintController(Catalog catalog) {
        this.catalog = catalog;
    }

    @PostMapping
    ResponseEntity<BlueprintView> create(Caller caller, @RequestBody JsonNode body) {
        JsonNode document = intake(body);
        BlueprintStore.Draft draft = catalog.create(caller, document);
        return ResponseEntity.created(URI.create("/api/blueprints/" + draft.id())).body(view(draft, BlueprintRules.check(document)));
    }

    @GetMapping
    List<BlueprintView> list(Caller caller) {
        return catalog.ofOrganization(caller).stream().map(d -> view(d, null)).toList();
    }

    @GetMapping("/{id}")
    BlueprintView get(Caller caller, @PathVariable String id) {
        return view(catalog.readable(caller, id), null);
    }

    /** Replaces the draft; published versions stay as they are, and the next publication makes a new one. */
    @PutMapping("/{id}")
    BlueprintView replace(Caller caller, @PathVariable String id, @RequestBody JsonNode body) {
        JsonNode document = intake(body);
        return view(catalog.replace(caller, id, document), BlueprintRules.check(document));
    }

    /** Every problem of the draft, each at a JSON Pointer into it, and the warnings. */
    @PostMapping("/{id}/validate")
    Validation validate(Caller caller, @PathVariable String id) {
        return Validation.of(BlueprintRules.check(catalog.readable(caller, id).document()));
    }

    /** Checks a document without storing it. */
    @PostMapping("/validate")
    Validation validateDocument(Caller caller, @RequestBody JsonNode body) {
        return Validation.of(BlueprintRules.check(intake(body)));
    }

    /**
     * Publishes the draft as the next version (400 {@code invalid-blueprint} with every error when
     * it has any); publishing an unchanged draft again answers its latest version.
     */
    @PostMapping("/{id}/publish")
    ResponseEntity<VersionView> publish(Caller caller, @PathVariable String id) {
        Catalog.Published published = catalog.publish(caller, id);
        return ResponseEntity.status(published.made() ? HttpStatus.CREATED : HttpStatus.OK)
                .location(URI.create("/api/blueprints/" + id + "/versions/" + published.version().version()))
                .body(VersionView.of(published.version()));
    }

    @GetMapping("/{id}/versions")
    List<VersionSummary> versions(Caller caller, @PathVariable String id) {
        return catalog.versions(caller, id).stream().map(v -> new VersionSummary(v.version(), v.title(), v.publishedBy(), v.publishedAt()))
                .toList();
    }

    @GetMapping("/{id}/versions/{version}")
    VersionView version(Caller caller, @PathVariable String id, @PathVariable String version) {
        return VersionView.of(catalog.readableVersion(caller, id, versionNumber(version)));
    }

    static int versionNumber(String text) {
        if (text == null || !text.matches("[1-9][0-9]{0,8}")) {
            throw ApiException.badRequest("invalid-version", "A version is a whole number from 1");
        }
        return Integer.parseInt(text);
    }

    /**
     * The blueprint a request body holds: a JSON object, or the reference's template wrapper whose
     * {@code template} holds no JSON-e; it must have a title to be listed by.
     */
    private static JsonNode intake(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid-blueprint", "Invalid request", "A blueprint is a JSON object",
                    Map.of("errors", List.of(new Problem("", "a blueprint is a JSON object"))));
        }
        BlueprintRules.Unwrapped unwrapped = BlueprintRules.unwrap(body);
        if (!unwrapped.jsonE().isEmpty()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "json-e-template", "Invalid request", "The template holds JSON-e expressions, "
                    + "which Cairn does not evaluate: evaluate the template first and send the blueprint it gives (first at "
                    + unwrapped.jsonE().get(0).pointer() + ")", Map.of("errors", unwrapped.jsonE()));
        }
        JsonNode document = unwrapped.blueprint();
        String title = document.path("title").isString() ? document.path("title").stringValue().strip() : "";
        if (title.length() < 3 || title.length() > 200) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid-blueprint", "Invalid request", "A blueprint needs a title of 3 to 200 "
                    + "characters", Map.of("errors", List.of(new Problem("/title", "title must be a string of 3 to 200 characters"))));
        }
        return document;
    }

    private static BlueprintView view(BlueprintStore.Draft d, BlueprintRules.Report report) {
        return new BlueprintView(d.id(), d.organizationId(), d.title(), d.latestVersion() > 0 ? "PUBLISHED" : "DRAFT", d.latestVersion(),
                d.document(), report == null ? null : Validation.of(report), d.createdBy(), d.createdAt(), d.updatedAt(), d.publishedAt());
    }
}
