package dev.cairn.blueprint.instances;

import java.net.URI;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.cairn.blueprint.catalog.Catalog;
import dev.cairn.blueprint.clients.WalletDirectory;
import dev.cairn.blueprint.events.Notifications;
import dev.cairn.blueprint.execution.ActionExecutor;
import dev.cairn.platform.auth.BearerTokenFilter;
import dev.cairn.platform.auth.Caller;
import dev.cairn.platform.web.Page;
import dev.cairn.ledger.crypto.LedgerAddress;
import dev.cairn.platform.problem.ApiException;
import dev.cairn.platform.workflow.Blueprint;
import dev.cairn.platform.workflow.Workflow;

/**
 * Workflow instances: start one, read it, execute or reject its current actions, and read its
 * notifications (and a wallet's) after a sequence number.
 */
@RestController
@RequestMapping("/api/instances")
class InstanceController {

    static final int MAX_EVENTS = 1_000;

    record CreateRequest(@NotNull @Size(max = 64) String blueprintId, Integer version, @NotNull @Size(max = 64) String registerId,
            @Size(max = 100) Map<String, String> participants) {
    }

    record ExecuteRequest(@NotNull JsonNode data, String idempotencyKey, String branchId) {
    }

    record RejectRequest(@Size(max = 1000) String reason, JsonNode fieldErrors, String idempotencyKey, String branchId) {
    }


    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ActionView(int actionId, String title, String description, String participantId, String walletAddress, List<JsonNode> dataSchemas,
            JsonNode form, Rejection rejection) {
    }

    record Rejection(int targetActionId, boolean requireReason, boolean terminal, JsonNode rejectionSchema) {
    }

    record EventsView(String stream, long afterSeq, long headSeq, ArrayNode events) {
    }

    private final InstanceService instances;
    private final InstanceAccess access;
    private final InstanceViews views;
    private final ActionExecutor executor;
    private final Catalog catalog;
    private final Notifications notifications;
    private final WalletDirectory wallets;

    InstanceController(InstanceService instances, InstanceAccess access, InstanceViews views, ActionExecutor executor, Catalog catalog,
            Notifications notifications, WalletDirectory wallets) {
        this.wallets = wallets;
        this.instances = instances;
        this.access = access;
        this.views = views;
        this.executor = executor;
        this.catalog = catalog;
        this.notifications = notifications;
    }

    @PostMapping
    ResponseEntity<InstanceViews.InstanceView> create(Caller caller, HttpServletRequest http, @Valid @RequestBody CreateRequest request) {
        InstanceStore.Instance instance = instances.create(caller, request.blueprintId(), request.version(), request.registerId(),
                request.participants());
        InstanceViews.InstanceView view = views.view(instance, access.viewer(caller, token(http), instance));
        return ResponseEntity.created(URI.create("/api/instances/" + instance.id())).body(view);
    }

    @GetMapping
    Page<InstanceViews.InstanceSummary> list(Caller caller, HttpServletRequest http, @RequestParam(required = false) String blueprintId,
            @RequestParam(required = false) String state, @RequestParam(required = false) String wallet, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "20") int size) {
        return instances.list(caller, token(http), blueprintId, state, wallet, page, size).map(views::summary);
    }

    @GetMapping("/{id}")
    InstanceViews.InstanceView get(Caller caller, HttpServletRequest http, @PathVariable String id) {
        InstanceStore.Instance instance = access.find(id);
        return views.view(instance, access.viewer(caller, token(http), instance));
    }

    /** What a user interface needs to offer an action: its schemas, its form, and whether and how it can be rejected. */
    @GetMapping("/{id}/actions/{actionId}")
    ActionView action(Caller caller, HttpServletRequest http, @PathVariable String id, @PathVariable String actionId) {
        InstanceStore.Instance instance = access.find(id);
        access.viewer(caller, token(http), instance);
        Workflow workflow = catalog.workflow(instance.blueprintId(), instance.version());
        if (!actionId.matches("[0-9]{1,9}") || !workflow.hasAction(Integer.parseInt(actionId))) {
            throw ApiException.notFound("action " + actionId);
        }
        Blueprint.Action action = workflow.action(Integer.parseInt(actionId)).action();
        Blueprint.Rejection r = action.rejection();
        return new ActionView(action.id(), action.title(), action.description(), action.sender(),
                instance.participants().get(action.sender()).walletAddress(), action.dataSchemas(), action.form().isNull() ? null : action.form(),
                r == null ? null : new Rejection(r.targetActionId(), r.requireReason(), r.terminal(), r.rejectionSchema()));
    }

    @PostMapping("/{id}/actions/{actionId}/execute")
    ResponseEntity<ActionExecutor.Answer> execute(Caller caller, HttpServletRequest http, @PathVariable String id, @PathVariable String actionId,
            @Valid @RequestBody ExecuteRequest request) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(executor.execute(caller, token(http), id, actionId, request.data(),
                request.idempotencyKey(), request.branchId()));
    }

    @PostMapping("/{id}/actions/{actionId}/reject")
    ResponseEntity<ActionExecutor.Answer> reject(Caller caller, HttpServletRequest http, @PathVariable String id, @PathVariable String actionId,
            @Valid @RequestBody RejectRequest request) {
        if (request.fieldErrors() != null && !request.fieldErrors().isObject() && !request.fieldErrors().isNull()) {
            throw ApiException.badRequest("invalid-field-errors", "fieldErrors is an object of field → message");
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(executor.reject(caller, token(http), id, actionId, request.reason(),
                request.fieldErrors(), request.idempotencyKey(), request.branchId()));
    }

    /** The instance's notifications after a sequence number (backfill for a client that reconnects). */
    @GetMapping("/{id}/events")
    EventsView instanceEvents(Caller caller, HttpServletRequest http, @PathVariable String id, @RequestParam(defaultValue = "0") long afterSeq,
            @RequestParam(defaultValue = "500") int limit) {
        InstanceStore.Instance instance = access.find(id);
        access.viewer(caller, token(http), instance);
        return events(Notifications.instanceStream(id), afterSeq, limit);
    }

    /** A wallet's notifications after a sequence number, for its owner. */
    @GetMapping("/events")
    EventsView walletEvents(Caller caller, HttpServletRequest http, @RequestParam String wallet, @RequestParam(defaultValue = "0") long afterSeq,
            @RequestParam(defaultValue = "500") int limit) {
        requireAddress(wallet);
        if (!wallets.owns(caller, token(http), wallet)) {
            throw ApiException.notFound("wallet");
        }
        return events(Notifications.walletStream(wallet), afterSeq, limit);
    }

    private EventsView events(String stream, long afterSeq, int limit) {
        if (afterSeq < 0 || limit < 1) {
            throw ApiException.badRequest("invalid-page", "afterSeq must be >= 0 and limit >= 1");
        }
        return new EventsView(stream, afterSeq, notifications.headSeq(stream), notifications.after(stream, afterSeq, Math.min(limit, MAX_EVENTS)));
    }

    static String token(HttpServletRequest http) {
        return (String) http.getAttribute(BearerTokenFilter.TOKEN_ATTRIBUTE);
    }

    static void requireAddress(String address) {
        if (!LedgerAddress.isValid(address)) {
            throw ApiException.badRequest("invalid-address", "'" + address + "' is not a Cairn wallet address");
        }
    }
}
