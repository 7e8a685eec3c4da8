package dev.cairn.platform.auth;

import java.time.Instant;
import java.util.Set;

/**
 * Who is calling, as proven by a verified access token.
 *
 * @param subject   user id, or the client id of a service principal
 * @param orgId     the organisation the caller acts in; null for Cairn's own services, which act
 *                  for any organisation within their scopes
 * @param type      a person or a service
 * @param roles     roles of a user (SystemAdmin, Administrator, Designer, Auditor, Member)
 * @param scopes    scopes of a service token
 * @param tokenId   the token's {@code jti}
 * @param sessionId the login session ({@code sid}) the token belongs to; null for services
 */
public record Caller(String subject, String orgId, Type type, Set<String> roles, Set<String> scopes, String tokenId,
        String sessionId, Instant issuedAt, Instant expiresAt) {

    public enum Type { USER, SERVICE }

    public static final String SYSTEM_ADMIN = "SystemAdmin";
    public static final String ADMINISTRATOR = "Administrator";
    public static final String DESIGNER = "Designer";
    public static final String AUDITOR = "Auditor";
    public static final String MEMBER = "Member";

    public Caller {
        roles = Set.copyOf(roles);
        scopes = Set.copyOf(scopes);
    }

    public boolean isUser() {
        return type == Type.USER;
    }

    public boolean isService() {
        return type == Type.SERVICE;
    }

    public boolean hasRole(String role) {
        return isUser() && roles.contains(role);
    }

    public boolean hasScope(String scope) {
        return isService() && scopes.contains(scope);
    }

    public boolean isSystemAdmin() {
        return hasRole(SYSTEM_ADMIN);
    }

    /** An Administrator of their organisation, or a SystemAdmin. */
    public boolean isAdministrator() {
        return hasRole(ADMINISTRATOR) || isSystemAdmin();
    }

    /** A user of this organisation (any role). */
    public boolean belongsTo(String organisation) {
        return isUser() && orgId != null && orgId.equals(organisation);
    }
}
