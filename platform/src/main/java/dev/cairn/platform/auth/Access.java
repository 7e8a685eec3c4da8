package dev.cairn.platform.auth;

import dev.cairn.platform.problem.ApiException;

import org.springframework.http.HttpStatus;

/**
 * Authorisation rules shared by the services. A caller who may not even know that an object
 * exists (another organisation's) gets 404, as if it did not; a caller who sees it but lacks
 * the right gets 403.
 */
public final class Access {

    private Access() {
    }

    public static void requireUser(Caller caller) {
        if (!caller.isUser()) {
            throw forbidden("This operation needs a user's token");
        }
    }

    public static void requireAdministrator(Caller caller) {
        if (!caller.isAdministrator()) {
            throw forbidden("This operation needs the Administrator role");
        }
    }

    public static void requireSystemAdmin(Caller caller) {
        if (!caller.isSystemAdmin()) {
            throw forbidden("This operation needs the SystemAdmin role");
        }
    }

    public static void requireScope(Caller caller, String scope) {
        if (!caller.hasScope(scope)) {
            throw forbidden("This operation needs a service token with scope '" + scope + "'");
        }
    }

    /**
     * The caller is a user of the organisation, or a service with the scope acting for it
     * (Cairn's own services have no organisation and may act for any); otherwise the object is
     * reported as not found.
     */
    public static void requireActingFor(Caller caller, String organisation, String serviceScope, String what) {
        boolean user = caller.belongsTo(organisation);
        boolean service = caller.isService() && caller.hasScope(serviceScope)
                && (caller.orgId() == null || caller.orgId().equals(organisation));
        if (!user && !service) {
            throw ApiException.notFound(what);
        }
    }

    private static ApiException forbidden(String detail) {
        return new ApiException(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", detail);
    }
}
