package dev.cairn.register.registry;

import org.springframework.stereotype.Component;

import dev.cairn.platform.auth.Access;
import dev.cairn.platform.auth.Caller;
import dev.cairn.platform.problem.ApiException;
import dev.cairn.platform.web.Ids;

/**
 * Who may see a register: users of its organisation, and services with {@code register:read}
 * (Cairn's own, or acting for that organisation). Everyone else is told it does not exist.
 * Validators write the dockets of registers sealed here ({@code register:write-docket}); the
 * peer service alone writes replicas of registers sealed elsewhere ({@code register:write-replica}).
 */
@Component
public class RegisterAccess {

    public static final String READ_SCOPE = "register:read";
    public static final String WRITE_DOCKET_SCOPE = "register:write-docket";
    public static final String WRITE_REPLICA_SCOPE = "register:write-replica";

    private final Registry registry;

    public RegisterAccess(Registry registry) {
        this.registry = registry;
    }

    public Register readable(Caller caller, String id) {
        Ids.require(id, "register");
        Register register = registry.find(id).orElseThrow(() -> ApiException.notFound("register"));
        Access.requireActingFor(caller, register.organizationId(), READ_SCOPE, "register");
        return register;
    }

    /** The register, for a service token that may write dockets (a replica is refused by the write path itself). */
    public Register writable(Caller caller, String id) {
        return writable(caller, id, WRITE_DOCKET_SCOPE);
    }

    /** A replica, for a service token that may write replicas; 409 {@code register-not-replica} for a register sealed here. */
    public Register replicaWritable(Caller caller, String id) {
        Register register = writable(caller, id, WRITE_REPLICA_SCOPE);
        if (!register.isReplica()) {
            throw ApiException.conflict("register-not-replica", "Register " + id + " is sealed on this installation, not a replica");
        }
        return register;
    }

    /**
     * The register, for a service that hands it a signed tree head: a validator
     * ({@code register:write-docket}) for a register sealed here, the peer service
     * ({@code register:write-replica}) for a replica.
     */
    public Register headWritable(Caller caller, String id) {
        if (!caller.hasScope(WRITE_REPLICA_SCOPE)) {
            Access.requireScope(caller, WRITE_DOCKET_SCOPE);
        }
        Ids.require(id, "register");
        Register register = registry.find(id).orElseThrow(() -> ApiException.notFound("register"));
        String scope = register.isReplica() ? WRITE_REPLICA_SCOPE : WRITE_DOCKET_SCOPE;
        Access.requireScope(caller, scope);
        Access.requireActingFor(caller, register.organizationId(), scope, "register");
        return register;
    }

    private Register writable(Caller caller, String id, String scope) {
        Access.requireScope(caller, scope);
        Ids.require(id, "register");
        Register register = registry.find(id).orElseThrow(() -> ApiException.notFound("register"));
        Access.requireActingFor(caller, register.organizationId(), scope, "register");
        return register;
    }

    /** The register, for an administrator of its organisation. */
    public Register administrable(Caller caller, String id) {
        Register register = readable(caller, id);
        Access.requireUser(caller);
        Access.requireAdministrator(caller);
        return register;
    }
}
