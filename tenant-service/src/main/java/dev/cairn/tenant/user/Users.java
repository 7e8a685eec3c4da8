package dev.cairn.tenant.user;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class Users {

    private final JdbcClient jdbc;

    public Users(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(User user) {
        jdbc.sql("INSERT INTO users (id, organization_id, email, display_name, password_hash, roles, status, created_at, updated_at) "
                        + "VALUES (:id, :org, :email, :name, :hash, string_to_array(:roles, ','), :status, :created, :updated)")
                .param("id", user.id()).param("org", user.organizationId()).param("email", user.email())
                .param("name", user.displayName()).param("hash", user.passwordHash()).param("roles", String.join(",", user.roles()))
                .param("status", user.status()).param("created", Timestamp.from(user.createdAt()))
                .param("updated", Timestamp.from(user.updatedAt())).update();
    }

    public void update(User user) {
        jdbc.sql("UPDATE users SET display_name = :name, password_hash = :hash, roles = string_to_array(:roles, ','), "
                        + "status = :status, updated_at = :updated WHERE id = :id")
                .param("id", user.id()).param("name", user.displayName()).param("hash", user.passwordHash())
                .param("roles", String.join(",", user.roles())).param("status", user.status())
                .param("updated", Timestamp.from(user.updatedAt())).update();
    }

    public Optional<User> find(UUID id) {
        return jdbc.sql("SELECT * FROM users WHERE id = :id").param("id", id).query(Users::map).optional();
    }

    public Optional<User> findByEmail(String email) {
        return jdbc.sql("SELECT * FROM users WHERE lower(email) = lower(:email)").param("email", email).query(Users::map).optional();
    }

    public boolean emailTaken(String email) {
        return jdbc.sql("SELECT count(*) FROM users WHERE lower(email) = lower(:email)").param("email", email)
                .query(Long.class).single() > 0;
    }

    public List<User> page(UUID organizationId, int offset, int limit) {
        return jdbc.sql("SELECT * FROM users WHERE organization_id = :org ORDER BY created_at, id OFFSET :offset LIMIT :limit")
                .param("org", organizationId).param("offset", offset).param("limit", limit).query(Users::map).list();
    }

    public long count(UUID organizationId) {
        return jdbc.sql("SELECT count(*) FROM users WHERE organization_id = :org").param("org", organizationId)
                .query(Long.class).single();
    }

    static User map(ResultSet rs, int row) throws SQLException {
        String[] roles = (String[]) rs.getArray("roles").getArray();
        return new User(rs.getObject("id", UUID.class), rs.getObject("organization_id", UUID.class), rs.getString("email"),
                rs.getString("display_name"), rs.getString("password_hash"), List.copyOf(Arrays.asList(roles)),
                rs.getString("status"), instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getTimestamp(column).toInstant();
    }
}
