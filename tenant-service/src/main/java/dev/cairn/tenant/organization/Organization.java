package dev.cairn.tenant.organization;

import java.time.Instant;
import java.util.UUID;

public record Organization(UUID id, String name, String status, Instant createdAt) {
}
