package dev.cairn.tenant.principal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A client of the client-credentials grant: one of Cairn's own services ({@code system}, no
 * organisation) or an organisation's integration.
 */
public record ServicePrincipal(UUID id, UUID organizationId, String clientId, String name, String secretHash, List<String> scopes,
        boolean system, String status, Instant createdAt, Instant updatedAt) {

    public boolean active() {
        return "active".equals(status);
    }

    @Override
    public String toString() {
        return "ServicePrincipal[clientId=" + clientId + ", organizationId=" + organizationId + ", scopes=" + scopes + "]";
    }
}
