package dev.cairn.tenant.organization;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class Organizations {

    private final JdbcClient jdbc;

    public Organizations(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(Organization organization) {
        jdbc.sql("INSERT INTO organizations (id, name, status, created_at) VALUES (:id, :name, :status, :created)")
                .param("id", organization.id()).param("name", organization.name()).param("status", organization.status())
                .param("created", Timestamp.from(organization.createdAt())).update();
    }

    public Optional<Organization> find(UUID id) {
        return jdbc.sql("SELECT * FROM organizations WHERE id = :id").param("id", id).query(Organizations::map).optional();
    }

    public List<Organization> page(int offset, int limit) {
        return jdbc.sql("SELECT * FROM organizations ORDER BY created_at, id OFFSET :offset LIMIT :limit")
                .param("offset", offset).param("limit", limit).query(Organizations::map).list();
    }

    public long count() {
        return jdbc.sql("SELECT count(*) FROM organizations").query(Long.class).single();
    }

    public boolean nameTaken(String name) {
        return jdbc.sql("SELECT count(*) FROM organizations WHERE lower(name) = lower(:name)").param("name", name)
                .query(Long.class).single() > 0;
    }

    /** Records the one-time bootstrap; fails on a second one (primary key). */
    public void markBootstrapped(UUID organizationId, Instant at) {
        jdbc.sql("INSERT INTO installation (id, bootstrapped_at, first_organization_id) VALUES (1, :at, :org)")
                .param("at", Timestamp.from(at)).param("org", organizationId).update();
    }

    public boolean bootstrapped() {
        return jdbc.sql("SELECT count(*) FROM installation").query(Long.class).single() > 0;
    }

    private static Organization map(ResultSet rs, int row) throws SQLException {
        return new Organization(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("status"),
                rs.getTimestamp("created_at").toInstant());
    }
}
