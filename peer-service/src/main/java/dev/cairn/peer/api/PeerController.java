package dev.cairn.peer.api;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.cairn.ledger.NodeIds;
import dev.cairn.peer.clients.RegisterService;
import dev.cairn.peer.config.PeerProperties;
import dev.cairn.peer.identity.NodeIdentity;
import dev.cairn.peer.membership.PeerDirectory;
import dev.cairn.peer.replication.Advertisements;
import dev.cairn.peer.replication.Evidence;
import dev.cairn.peer.replication.Subscriptions;
import dev.cairn.platform.auth.Access;
import dev.cairn.platform.auth.Caller;
import dev.cairn.platform.http.ServiceHttp;
import dev.cairn.platform.problem.ApiException;
import dev.cairn.platform.web.Ids;

/**
 * The operators' view of the installation's peers and of the registers it shares with them.
 * Peers, evidence and bans concern the whole installation (SystemAdmin, or an organisation's
 * Administrator for reading); advertising and subscribing are an organisation's Administrator's
 * decision about its own registers.
 */
@RestController
@RequestMapping("/api/peers")
class PeerController {

    record SelfView(String nodeId, String publicKey, URI url, List<URI> seeds, String admission, List<String> allow) {
    }

    record PeerView(String nodeId, URI url, PeerDirectory.State state, boolean seed, boolean verified, Instant lastSeen, Long roundTripMillis,
            String lastError, List<JsonNode> registers, Instant bannedUntil, long refusals, String lastRefusal) {

        static PeerView of(PeerDirectory.Peer p) {
            List<JsonNode> registers = p.registers().stream().map(r -> (JsonNode) r.deepCopy()).toList();
            return new PeerView(p.nodeId(), p.url(), p.state(), p.seed(), p.verified(), p.lastSeen(), p.roundTripMillis(), p.lastError(),
                    registers, p.bannedUntil(), p.refusals(), p.lastRefusal());
        }
    }

    record SubscriptionView(String registerId, String sourceNodeId, String homeNodeId, Subscriptions.State state, long localHeight,
            long remoteHeight, long lagDockets, Long lagSeconds, long dockets, long transactions, String lastError, Instant lastErrorAt,
            Instant createdAt) {
    }

    record RegistersView(List<Advertisements.Advertised> advertised, List<SubscriptionView> subscribed) {
    }

    record SubscribeRequest(String source) {
    }

    record BanRequest(Integer minutes) {
    }

    private final NodeIdentity self;
    private final PeerProperties properties;
    private final PeerDirectory directory;
    private final Advertisements advertisements;
    private final Subscriptions subscriptions;
    private final Evidence evidence;
    private final RegisterService registers;

    PeerController(NodeIdentity self, PeerProperties properties, PeerDirectory directory, Advertisements advertisements,
            Subscriptions subscriptions, Evidence evidence, RegisterService registers) {
        this.self = self;
        this.properties = properties;
        this.directory = directory;
        this.advertisements = advertisements;
        this.subscriptions = subscriptions;
        this.evidence = evidence;
        this.registers = registers;
    }

    @GetMapping("/self")
    SelfView self(Caller caller) {
        requireOperator(caller);
        return new SelfView(self.nodeId(), self.publicKeyBase64(), properties.url(), properties.seeds(),
                properties.trustOnFirstUse() ? "trust-on-first-use" : "allowlist", properties.allow());
    }

    @GetMapping
    List<PeerView> peers(Caller caller) {
        requireOperator(caller);
        return directory.all().stream().map(PeerView::of).toList();
    }

    @PostMapping("/{nodeId}/ban")
    ResponseEntity<Void> ban(Caller caller, @PathVariable String nodeId, @RequestBody(required = false) BanRequest request) {
        Access.requireSystemAdmin(caller);
        requireNodeId(nodeId);
        Integer minutes = request == null ? null : request.minutes();
        if (minutes != null && minutes < 1) {
            throw ApiException.badRequest("invalid-ban", "minutes must be at least 1 (leave it out to ban until lifted)");
        }
        if (!directory.ban(nodeId, minutes == null ? null : Duration.ofMinutes(minutes))) {
            throw ApiException.notFound("peer");
        }
        return ResponseEntity.noContent().build();
    }

    @DeleteMapping("/{nodeId}/ban")
    ResponseEntity<Void> unban(Caller caller, @PathVariable String nodeId) {
        Access.requireSystemAdmin(caller);
        requireNodeId(nodeId);
        if (!directory.unban(nodeId)) {
            throw ApiException.notFound("peer");
        }
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/registers")
    RegistersView registers(Caller caller) {
        requireOperator(caller);
        boolean all = caller.isSystemAdmin();
        List<Advertisements.Advertised> advertised = advertisements.all().stream()
                .filter(a -> all || a.organizationId().equals(caller.orgId())).toList();
        List<SubscriptionView> subscribed = subscriptions.all().stream().filter(s -> all || s.organizationId().equals(caller.orgId()))
                .map(this::view).toList();
        return new RegistersView(advertised, subscribed);
    }

    @PostMapping("/registers/{id}/advertise")
    ResponseEntity<JsonNode> advertise(Caller caller, @PathVariable String id) {
        JsonNode register = ownRegister(caller, id);
        if (!register.path("replica").isNull() && !register.path("replica").isMissingNode()) {
            throw ApiException.conflict("register-is-replica", "Register " + id + " is a replica; only its home installation advertises it");
        }
        advertisements.advertise(id, register.path("organizationId").asString(), caller.subject());
        JsonNode ad = advertisements.of(id).orElseThrow(() -> ApiException.conflict("register-not-sealed",
                "Register " + id + " has no genesis docket yet; it is advertised once it has"));
        return ResponseEntity.ok(ad);
    }

    @DeleteMapping("/registers/{id}/advertise")
    ResponseEntity<Void> withdraw(Caller caller, @PathVariable String id) {
        ownRegister(caller, id);
        advertisements.withdraw(id);
        return ResponseEntity.noContent().build();
    }

    /**
     * Subscribes to a register another installation advertises (from {@code source}, or from the
     * peer that advertises it as its home): its NodeId and the genesis docket's hash are pinned,
     * and a read-only replica register is made for the caller's organisation.
     */
    @PostMapping("/registers/{id}/subscribe")
    ResponseEntity<SubscriptionView> subscribe(Caller caller, @PathVariable String id, @RequestBody(required = false) SubscribeRequest request) {
        Access.requireUser(caller);
        Access.requireAdministrator(caller);
        Ids.require(id, "register");
        if (caller.orgId() == null) {
            throw ApiException.badRequest("no-organization", "The caller belongs to no organisation");
        }
        String source = request == null ? null : request.source();
        if (source != null) {
            requireNodeId(source);
        }
        if (subscriptions.find(id).isPresent()) {
            throw ApiException.conflict("already-subscribed", "Register " + id + " is replicated already; see GET /api/peers/registers");
        }
        PeerDirectory.Peer from = null;
        JsonNode ad = null;
        for (PeerDirectory.Peer peer : directory.all()) {
            if (source != null && !peer.nodeId().equals(source) || peer.state() == PeerDirectory.State.BANNED) {
                continue;
            }
            for (JsonNode r : peer.registers()) {
                if (id.equals(r.path("registerId").asString()) && (source != null || peer.nodeId().equals(r.path("homeNodeId").asString()))) {
                    from = peer;
                    ad = r;
                }
            }
        }
        if (ad == null) {
            throw ApiException.notFound("register-not-advertised", "No known peer" + (source == null ? "" : " " + source)
                    + " advertises register " + id + " (peers exchange every " + properties.exchangeInterval().toSeconds() + " s)");
        }
        String home = ad.path("homeNodeId").asString();
        String genesisHash = ad.path("genesisHash").asString();
        ServiceHttp.Answer created = registers.createReplica(id, caller.orgId(), ad.path("name").asString("Replica of " + id), home, genesisHash);
        if (created.status() == 409) {
            throw ApiException.conflict("register-exists", "This installation already holds a register " + id + " that is not this replica");
        }
        if (created.status() != 201 && created.status() != 200) {
            throw new ServiceHttp.UnreachableException("register-service answered " + created.status() + " creating the replica: "
                    + created.body().path("detail").asString(""), null);
        }
        if (!subscriptions.create(id, caller.orgId(), from.nodeId(), home, genesisHash, caller.subject())) {
            throw ApiException.conflict("already-subscribed", "Register " + id + " is replicated already");
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(view(subscriptions.find(id).orElseThrow()));
    }

    /** Stops replicating; the replica and what it holds are kept. */
    @DeleteMapping("/registers/{id}/subscribe")
    ResponseEntity<Void> unsubscribe(Caller caller, @PathVariable String id) {
        ownSubscription(caller, id);
        subscriptions.setState(id, Subscriptions.State.STOPPED);
        return ResponseEntity.noContent().build();
    }

    /**
     * Starts a stopped, stalled or diverged subscription again, after an operator's decision.
     * Nothing stored is overwritten: a replica that diverged stays diverged until its chain and the
     * source's agree again (or the replica is removed and subscribed to anew).
     */
    @PostMapping("/registers/{id}/resync")
    SubscriptionView resync(Caller caller, @PathVariable String id) {
        Subscriptions.Subscription s = ownSubscription(caller, id);
        if (s.state() == Subscriptions.State.SYNCING || s.state() == Subscriptions.State.FOLLOWING) {
            throw ApiException.conflict("not-stopped", "The subscription is " + s.state().name().toLowerCase() + "; nothing to restart");
        }
        subscriptions.setState(id, Subscriptions.State.SYNCING);
        return view(subscriptions.find(id).orElseThrow());
    }

    @GetMapping("/evidence")
    List<Evidence.Item> evidence(Caller caller) {
        requireOperator(caller);
        boolean all = caller.isSystemAdmin();
        return evidence.all().stream().filter(e -> all || subscriptions.find(e.registerId()).map(s -> s.organizationId().equals(caller.orgId()))
                .orElse(false)).toList();
    }

    private SubscriptionView view(Subscriptions.Subscription s) {
        long lag = Math.max(0, s.remoteHeight() - s.localHeight());
        Long lagSeconds = lag == 0 ? Long.valueOf(0) : s.caughtUpAt() == null ? null
                : Duration.between(s.caughtUpAt(), Instant.now()).toSeconds();
        return new SubscriptionView(s.registerId(), s.sourceNodeId(), s.homeNodeId(), s.state(), s.localHeight(), s.remoteHeight(), lag,
                lagSeconds, s.dockets(), s.transactions(), s.lastError(), s.lastErrorAt(), s.createdAt());
    }

    private Subscriptions.Subscription ownSubscription(Caller caller, String id) {
        Access.requireUser(caller);
        Ids.require(id, "register");
        Subscriptions.Subscription s = subscriptions.find(id).orElseThrow(() -> ApiException.notFound("subscription"));
        if (!caller.isSystemAdmin() && !s.organizationId().equals(caller.orgId())) {
            throw ApiException.notFound("subscription");
        }
        Access.requireAdministrator(caller);
        return s;
    }

    /** The register, when the caller is an Administrator of its organisation. */
    private JsonNode ownRegister(Caller caller, String id) {
        Access.requireUser(caller);
        Ids.require(id, "register");
        JsonNode register = registers.register(id).filter(r -> r.path("organizationId").asString().equals(caller.orgId()))
                .orElseThrow(() -> ApiException.notFound("register"));
        Access.requireAdministrator(caller);
        return register;
    }

    private static void requireOperator(Caller caller) {
        Access.requireUser(caller);
        if (!caller.isSystemAdmin() && !caller.isAdministrator()) {
            throw new ApiException(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", "This needs the Administrator or SystemAdmin role");
        }
    }

    private static void requireNodeId(String nodeId) {
        if (!NodeIds.isValid(nodeId)) {
            throw ApiException.badRequest("invalid-node-id", "A NodeId is 40 lower-case hex digits");
        }
    }
}
