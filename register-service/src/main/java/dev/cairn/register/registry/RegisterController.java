package dev.cairn.register.registry;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.cairn.ledger.LedgerHashes;
import dev.cairn.ledger.NodeIds;
import dev.cairn.platform.auth.Access;
import dev.cairn.platform.auth.Caller;
import dev.cairn.platform.problem.ApiException;
import dev.cairn.register.ledger.LedgerReader;
import dev.cairn.platform.web.Ids;

/**
 * Registers of the caller's organisation. A new register waits for its genesis docket (height
 * 0), which a validator seals through the same write path as every other docket; the genesis
 * transaction records the owner organisation and the register's policy ({@code genesis} in the
 * answer is what it must hold).
 */
@RestController
@RequestMapping("/api/registers")
class RegisterController {

    record CreateRequest(@NotBlank @Size(max = 200) String name, @Size(max = 2000) String description) {
    }

    record UpdateRequest(@Size(min = 1, max = 200) String name, @Size(max = 2000) String description) {
    }

    /** A replica of register {@code id} sealed on installation {@code homeNodeId}, whose genesis docket is {@code genesisHash}. */
    record CreateReplicaRequest(@NotBlank String id, @NotBlank @Size(max = 200) String organizationId, @NotBlank @Size(max = 200) String name,
            @Size(max = 2000) String description, @NotBlank String homeNodeId, @NotBlank String genesisHash) {
    }

    record Genesis(String type, String registerId, String owner, String docketWriterScope) {
    }

    /** Where a replica's dockets are sealed; null in the view of a register sealed here. */
    record ReplicaView(String homeNodeId, String genesisHash) {
    }

    record RegisterView(String id, String organizationId, String name, String description, Register.Status status, long height,
            String latestDocketHash, Instant createdAt, Instant updatedAt, Genesis genesis, ReplicaView replica) {

        static RegisterView of(Register register) {
            return new RegisterView(register.id(), register.organizationId(), register.name(), register.description(), register.status(),
                    register.height(), register.latestDocketHash(), register.createdAt(), register.updatedAt(),
                    new Genesis("genesis", register.id(), register.organizationId(), RegisterAccess.WRITE_DOCKET_SCOPE),
                    register.isReplica() ? new ReplicaView(register.replica().homeNodeId(), register.replica().genesisHash()) : null);
        }
    }

    private final Registry registry;
    private final RegisterAccess access;
    private final LedgerReader ledger;

    RegisterController(Registry registry, RegisterAccess access, LedgerReader ledger) {
        this.registry = registry;
        this.access = access;
        this.ledger = ledger;
    }

    @PostMapping
    ResponseEntity<RegisterView> create(Caller caller, @Valid @RequestBody CreateRequest request) {
        Access.requireUser(caller);
        Access.requireAdministrator(caller);
        if (caller.orgId() == null) {
            throw ApiException.badRequest("no-organization", "The caller belongs to no organisation");
        }
        Register register = registry.create(caller.orgId(), request.name().strip(), request.description(), caller.subject());
        return ResponseEntity.created(URI.create("/api/registers/" + register.id())).body(RegisterView.of(register));
    }

    /**
     * A read-only replica of a register sealed on another installation, under the home's id, for
     * the peer service ({@code register:write-replica}). It waits for its genesis docket, which
     * only the replica write path brings, and no validator here seals it. Asking again for the same
     * replica (same home and genesis) answers the one created.
     */
    @PostMapping("/replicas")
    ResponseEntity<RegisterView> createReplica(Caller caller, @Valid @RequestBody CreateReplicaRequest request) {
        Access.requireScope(caller, RegisterAccess.WRITE_REPLICA_SCOPE);
        Ids.require(request.id(), "register");
        if (!NodeIds.isValid(request.homeNodeId())) {
            throw ApiException.badRequest("invalid-replica", "homeNodeId must be a node id, 40 lower-case hex digits");
        }
        if (!LedgerHashes.isHash(request.genesisHash())) {
            throw ApiException.badRequest("invalid-replica", "genesisHash must be the hash of the home's genesis docket, 64 lower-case hex digits");
        }
        Access.requireActingFor(caller, request.organizationId(), RegisterAccess.WRITE_REPLICA_SCOPE, "organisation");
        Register.Replica replica = new Register.Replica(request.homeNodeId(), request.genesisHash());
        Register created = registry.createReplica(request.id(), request.organizationId(), request.name().strip(), request.description(), replica,
                caller.subject()).orElse(null);
        if (created != null) {
            return ResponseEntity.created(URI.create("/api/registers/" + created.id())).body(RegisterView.of(created));
        }
        Register existing = registry.find(request.id()).orElse(null);
        if (existing != null && replica.equals(existing.replica()) && existing.organizationId().equals(request.organizationId())) {
            return ResponseEntity.ok(RegisterView.of(repaired(existing)));
        }
        throw ApiException.conflict("register-exists", existing != null && existing.isReplica()
                ? "Register " + request.id() + " exists already, as a replica of another home or genesis"
                : "Register " + request.id() + " exists already");
    }

    /**
     * The caller's organisation's registers. A Cairn service with {@code register:read} acting
     * for no organisation may list every register in one status ({@code ?status=}, at most
     * {@code limit}), e.g. validators looking for registers that await their genesis docket.
     */
    @GetMapping
    List<RegisterView> list(Caller caller, @RequestParam(required = false) String status, @RequestParam(defaultValue = "100") int limit) {
        if (status != null) {
            Access.requireScope(caller, RegisterAccess.READ_SCOPE);
            if (caller.isUser() || caller.orgId() != null) {
                throw new ApiException(org.springframework.http.HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
                        "Only Cairn's own services list registers by status");
            }
            Register.Status wanted;
            try {
                wanted = Register.Status.valueOf(status);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("invalid-status", "status must be one of AWAITING_GENESIS, ONLINE");
            }
            if (limit < 1 || limit > 1000) {
                throw ApiException.badRequest("invalid-limit", "limit must be between 1 and 1000");
            }
            return registry.withStatus(wanted, limit).stream().map(RegisterView::of).toList();
        }
        if (caller.orgId() == null) {
            return List.of();
        }
        return registry.ofOrganization(caller.orgId()).stream().map(RegisterView::of).toList();
    }

    @GetMapping("/{id}")
    RegisterView get(Caller caller, @PathVariable String id) {
        return RegisterView.of(repaired(access.readable(caller, id)));
    }

    @PatchMapping("/{id}")
    RegisterView update(Caller caller, @PathVariable String id, @Valid @RequestBody UpdateRequest request) {
        access.administrable(caller, id);
        return RegisterView.of(registry.rename(id, request.name() == null ? null : request.name().strip(), request.description())
                .orElseThrow(() -> ApiException.notFound("register")));
    }

    /** A writer that stopped between sealing a docket and moving the registry's head leaves it behind; the dockets decide. */
    private Register repaired(Register register) {
        long sealed = ledger.sealedHeight(register.id());
        if (sealed > register.height()) {
            ledger.latestDocket(register.id()).ifPresent(d -> registry.advance(register.id(), sealed, d.getString("hash")));
            return registry.find(register.id()).orElse(register);
        }
        return register;
    }
}
