package dev.cairn.tenant.principal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class ServicePrincipals {

    private final JdbcClient jdbc;

    public ServicePrincipals(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(ServicePrincipal p) {
        jdbc.sql("INSERT INTO service_principals (id, organization_id, client_id, name, secret_hash, scopes, system, status, created_at, updated_at) "
                        + "VALUES (:id, :org, :client, :name, :hash, string_to_array(:scopes, ' '), :system, :status, :created, :updated)")
                .param("id", p.id()).param("org", p.organizationId()).param("client", p.clientId()).param("name", p.name())
                .param("hash", p.secretHash()).param("scopes", String.join(" ", p.scopes())).param("system", p.system())
                .param("status", p.status()).param("created", Timestamp.from(p.createdAt()))
                .param("updated", Timestamp.from(p.updatedAt())).update();
    }

    /**
     * Inserts a system principal unless its client id exists already; replicas provisioning
     * at the same moment cannot collide.
     *
     * @return true when this call created it
     */
    public boolean insertIfAbsent(ServicePrincipal p) {
        return jdbc.sql("INSERT INTO service_principals (id, organization_id, client_id, name, secret_hash, scopes, system, status, created_at, updated_at) "
                        + "VALUES (:id, :org, :client, :name, :hash, string_to_array(:scopes, ' '), :system, :status, :created, :updated) "
                        + "ON CONFLICT (client_id) DO NOTHING")
                .param("id", p.id()).param("org", p.organizationId()).param("client", p.clientId()).param("name", p.name())
                .param("hash", p.secretHash()).param("scopes", String.join(" ", p.scopes())).param("system", p.system())
                .param("status", p.status()).param("created", Timestamp.from(p.createdAt()))
                .param("updated", Timestamp.from(p.updatedAt())).update() == 1;
    }

    public void update(ServicePrincipal p) {
        jdbc.sql("UPDATE service_principals SET name = :name, secret_hash = :hash, scopes = string_to_array(:scopes, ' '), "
                        + "status = :status, updated_at = :updated WHERE id = :id")
                .param("id", p.id()).param("name", p.name()).param("hash", p.secretHash()).param("scopes", String.join(" ", p.scopes()))
                .param("status", p.status()).param("updated", Timestamp.from(p.updatedAt())).update();
    }

    public Optional<ServicePrincipal> find(UUID id) {
        return jdbc.sql("SELECT * FROM service_principals WHERE id = :id").param("id", id).query(ServicePrincipals::map).optional();
    }

    public Optional<ServicePrincipal> findByClientId(String clientId) {
        return jdbc.sql("SELECT * FROM service_principals WHERE client_id = :client").param("client", clientId)
                .query(ServicePrincipals::map).optional();
    }

    public List<ServicePrincipal> page(UUID organizationId, int offset, int limit) {
        return jdbc.sql("SELECT * FROM service_principals WHERE organization_id = :org ORDER BY created_at, id OFFSET :offset LIMIT :limit")
                .param("org", organizationId).param("offset", offset).param("limit", limit).query(ServicePrincipals::map).list();
    }

    public long count(UUID organizationId) {
        return jdbc.sql("SELECT count(*) FROM service_principals WHERE organization_id = :org").param("org", organizationId)
                .query(Long.class).single();
    }

    private static ServicePrincipal map(ResultSet rs, int row) throws SQLException {
        String[] scopes = (String[]) rs.getArray("scopes").getArray();
        return new ServicePrincipal(rs.getObject("id", UUID.class), rs.getObject("organization_id", UUID.class),
                rs.getString("client_id"), rs.getString("name"), rs.getString("secret_hash"), List.copyOf(Arrays.asList(scopes)),
                rs.getBoolean("system"), rs.getString("status"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
