package dev.cairn.register.registry;

import java.time.Instant;

import org.bson.Document;

/**
 * A register as the registry lists it. {@code height} and {@code latestDocketHash} follow the
 * register's sealed dockets (the dockets are the truth; these are kept up to date after each
 * docket and repaired on read when a writer stopped in between). {@code replica} is null for a
 * register sealed here, and names the home installation of a read-only replica.
 */
public record Register(String id, String organizationId, String name, String description, Status status, long height,
        String latestDocketHash, String createdBy, Instant createdAt, Instant updatedAt, Replica replica) {

    /**
     * A read-only copy of a register sealed on another installation: {@code homeNodeId} names that
     * installation (40 lower-case hex digits), {@code genesisHash} is the hash of the home's genesis
     * docket, the anchor every copied docket must chain back to.
     */
    public record Replica(String homeNodeId, String genesisHash) {

        static Replica of(Document document) {
            return document == null ? null : new Replica(document.getString("homeNodeId"), document.getString("genesisHash"));
        }

        Document toDocument() {
            return new Document("homeNodeId", homeNodeId).append("genesisHash", genesisHash);
        }
    }

    public boolean isReplica() {
        return replica != null;
    }

    public enum Status {
        /** Created; usable once its genesis docket (height 0) is sealed. */
        AWAITING_GENESIS,
        ONLINE
    }

    static Register of(Document document) {
        return new Register(document.getString("_id"), document.getString("organizationId"), document.getString("name"),
                document.getString("description"), Status.valueOf(document.getString("status")), document.get("height", Number.class).longValue(),
                document.getString("latestDocketHash"), document.getString("createdBy"), document.getDate("createdAt").toInstant(),
                document.getDate("updatedAt").toInstant(), Replica.of(document.get("replica", Document.class)));
    }
}
