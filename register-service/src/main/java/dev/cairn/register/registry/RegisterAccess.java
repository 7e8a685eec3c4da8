package dev.cairn.register.registry;

import org.springframework.stereotype.Component;

import dev.cairn.platform.auth.Access;
import dev.cairn.platform.auth.Caller;
import dev.cairn.platform.problem.ApiException;

/**
 * Who may see a register: users of its organisation, and services with {@code register:read}
 * (Cairn's own, or acting for that organisation). Everyone else is told it does not exist.
 */
@Component
public class RegisterAccess {

    public static final String READ_SCOPE = "register:read";
    public static final String WRITE_DOCKET_SCOPE = "register:write-docket";

    private final Registry registry;

    public RegisterAccess(Registry registry) {
        this.registry = registry;
    }

    public Register readable(Caller caller, String id) {
        RegisterId.require(id);
        Register register = registry.find(id).orElseThrow(() -> ApiException.notFound("register"));
        Access.requireActingFor(caller, register.organizationId(), READ_SCOPE, "register");
        return register;
    }

    /** The register, for a service token that may write dockets. */
    public Register writable(Caller caller, String id) {
        Access.requireScope(caller, WRITE_DOCKET_SCOPE);
        RegisterId.require(id);
        Register register = registry.find(id).orElseThrow(() -> ApiException.notFound("register"));
        Access.requireActingFor(caller, register.organizationId(), WRITE_DOCKET_SCOPE, "register");
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
