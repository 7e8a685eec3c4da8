package dev.cairn.blueprint.instances;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.mongodb.client.model.Filters;
import org.bson.conversions.Bson;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import dev.cairn.blueprint.catalog.BlueprintStore;
import dev.cairn.blueprint.catalog.Catalog;
import dev.cairn.blueprint.clients.RegisterDirectory;
import dev.cairn.blueprint.clients.WalletDirectory;
import dev.cairn.blueprint.events.Notifications;
import dev.cairn.blueprint.execution.ActionExecutor;
import dev.cairn.blueprint.execution.StepProgress;
import dev.cairn.platform.auth.Caller;
import dev.cairn.ledger.crypto.LedgerAddress;
import dev.cairn.ledger.ObjectIds;
import dev.cairn.platform.problem.ApiException;
import dev.cairn.platform.workflow.Blueprint;
import dev.cairn.platform.workflow.Engine;
import dev.cairn.platform.workflow.InstanceState;
import dev.cairn.platform.workflow.Workflow;
import dev.cairn.platform.web.Ids;
import dev.cairn.platform.web.Page;

/** Starting instances and finding them. */
@Service
public class InstanceService {

    public static final int MAX_PAGE = 100;

    private final InstanceStore store;
    private final Catalog catalog;
    private final BlueprintStore blueprints;
    private final RegisterDirectory registers;
    private final WalletDirectory wallets;
    private final Notifications notifications;
    private final StepProgress progress;
    private final Clock clock;

    InstanceService(InstanceStore store, Catalog catalog, BlueprintStore blueprints, RegisterDirectory registers, WalletDirectory wallets,
            Notifications notifications, StepProgress progress, Clock clock) {
        this.store = store;
        this.catalog = catalog;
        this.blueprints = blueprints;
        this.registers = registers;
        this.wallets = wallets;
        this.notifications = notifications;
        this.progress = progress;
        this.clock = clock;
    }

    /**
     * Starts an instance of a published blueprint (its latest version unless one is named) on a
     * register of the same organisation, with every participant bound to a wallet: the request's,
     * or the blueprint's own {@code walletAddress} for the participant.
     */
    public InstanceStore.Instance create(Caller caller, String blueprintId, Integer version, String registerId, Map<String, String> requested) {
        ActionExecutor.requireActor(caller);
        BlueprintStore.Draft draft = catalog.readable(caller, blueprintId);
        if (draft.latestVersion() == 0) {
            throw ApiException.conflict("blueprint-not-published", "The blueprint has no published version yet");
        }
        int v = version == null ? draft.latestVersion() : version;
        BlueprintStore.Version published = blueprints.version(blueprintId, v)
                .orElseThrow(() -> ApiException.notFound("version " + v + " of the blueprint"));
        Workflow workflow = catalog.workflow(published);
        Ids.require(registerId, "register");
        RegisterDirectory.Register register = registers.online(registerId)
                .filter(r -> r.organizationId().equals(draft.organizationId()))
                .orElseThrow(() -> ApiException.notFound("register"));
        Map<String, String> participants = requested == null ? Map.of() : requested;
        List<String> unknown = participants.keySet().stream().filter(p -> workflow.blueprint().participant(p).isEmpty()).toList();
        if (!unknown.isEmpty()) {
            throw ApiException.badRequest("unknown-participant", "The blueprint has no participants " + unknown);
        }
        Map<String, InstanceStore.Binding> bindings = new LinkedHashMap<>();
        List<String> unbound = new ArrayList<>();
        for (Blueprint.Participant participant : workflow.blueprint().participants()) {
            String address = participants.getOrDefault(participant.id(), participant.walletAddress());
            if (address == null) {
                unbound.add(participant.id());
                continue;
            }
            if (!LedgerAddress.isValid(address)) {
                throw ApiException.badRequest("invalid-address", "The wallet address of participant '" + participant.id() + "' is not a Cairn address");
            }
            WalletDirectory.PublicKey key = wallets.publicKey(address);
            bindings.put(participant.id(), new InstanceStore.Binding(address, key.algorithm(), Base64.getEncoder().encodeToString(key.key())));
        }
        if (!unbound.isEmpty()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "unbound-participants", "Invalid request",
                    "Every participant needs a wallet: none given for " + unbound, Map.of("participants", unbound));
        }
        Map<String, String> addresses = new LinkedHashMap<>();
        bindings.forEach((p, b) -> addresses.put(p, b.walletAddress()));
        InstanceState start = Engine.start(workflow, addresses);
        Instant now = clock.instant();
        InstanceStore.Instance instance = store.create(ObjectIds.next(), draft.organizationId(), blueprintId, v,
                register.id(), bindings, start, caller.subject(), now);
        List<Notifications.Event> events = new ArrayList<>();
        start.open().forEach(token -> events.addAll(progress.available(instance, workflow, token)));
        notifications.append(events, false);
        return instance;
    }

    /** The caller's organisation's instances, or those a wallet the caller holds takes part in. */
    public Page<InstanceStore.Instance> list(Caller caller, String token, String blueprintId, String state, String wallet, int page, int size) {
        if (page < 0 || size < 1 || size > MAX_PAGE) {
            throw ApiException.badRequest("invalid-page", "page must be >= 0 and size 1 to " + MAX_PAGE);
        }
        List<Bson> filters = new ArrayList<>();
        if (wallet != null) {
            if (!LedgerAddress.isValid(wallet) || !wallets.owns(caller, token, wallet)) {
                throw ApiException.notFound("wallet");
            }
            filters.add(Filters.eq("wallets", wallet));
        } else if (caller.orgId() != null) {
            filters.add(Filters.eq("organizationId", caller.orgId()));
        } else {
            return new Page<>(List.of(), page, size, 0);
        }
        if (blueprintId != null) {
            Ids.require(blueprintId, "blueprint");
            filters.add(Filters.eq("blueprintId", blueprintId));
        }
        if (state != null) {
            if (!List.of(InstanceState.ACTIVE, InstanceState.COMPLETED, InstanceState.REJECTED, InstanceStore.TIMED_OUT).contains(state)) {
                throw ApiException.badRequest("invalid-state", "state is ACTIVE, COMPLETED, REJECTED or TIMED_OUT");
            }
            filters.add(InstanceStore.stateIs(state));
        }
        return store.list(Filters.and(filters), page, size);
    }
}
