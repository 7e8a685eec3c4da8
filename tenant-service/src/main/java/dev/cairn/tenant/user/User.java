package dev.cairn.tenant.user;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A person who signs in. The password hash never leaves the service. */
public record User(UUID id, UUID organizationId, String email, String displayName, String passwordHash, List<String> roles,
        String status, Instant createdAt, Instant updatedAt) {

    public static final String ACTIVE = "active";
    public static final String DISABLED = "disabled";

    public boolean active() {
        return ACTIVE.equals(status);
    }

    @Override
    public String toString() {
        return "User[id=" + id + ", organizationId=" + organizationId + ", roles=" + roles + ", status=" + status + "]";
    }
}
