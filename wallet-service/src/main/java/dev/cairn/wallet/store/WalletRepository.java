package dev.cairn.wallet.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import dev.cairn.wallet.crypto.KeyAlgorithm;
import dev.cairn.keys.SealedKey;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class WalletRepository {

    private final JdbcClient jdbc;

    public WalletRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return false when a wallet with this address exists already */
    public boolean insert(Wallet w) {
        return jdbc.sql("INSERT INTO wallets (address, owner_id, organization_id, name, tags, algorithm, public_key, derivation_path, "
                        + "private_key_ciphertext, wrapped_data_key, key_protector, key_version, status, created_at, updated_at) "
                        + "VALUES (:address, :owner, :org, :name, string_to_array(:tags, ','), :alg, :pub, :path, :priv, :dek, :protector, :version, :status, "
                        + ":created, :updated) ON CONFLICT (address) DO NOTHING")
                .param("address", w.address()).param("owner", w.ownerId()).param("org", w.organizationId()).param("name", w.name())
                .param("tags", String.join(",", w.tags())).param("alg", w.algorithm().name()).param("pub", w.publicKey())
                .param("path", w.derivationPath()).param("priv", w.sealedKey().ciphertext()).param("dek", w.sealedKey().wrappedDataKey())
                .param("protector", w.sealedKey().protector()).param("version", w.sealedKey().keyVersion()).param("status", w.status())
                .param("created", Timestamp.from(w.createdAt())).param("updated", Timestamp.from(w.updatedAt()))
                .update() == 1;
    }

    /** The address of a service's named system wallet, if it has one. */
    public Optional<String> systemWallet(String ownerId, String name) {
        return jdbc.sql("SELECT address FROM system_wallets WHERE owner_id = :owner AND name = :name").param("owner", ownerId)
                .param("name", name).query(String.class).optional();
    }

    /** @return false when the service has a system wallet of this name already */
    public boolean recordSystemWallet(String ownerId, String name, String address, java.time.Instant now) {
        return jdbc.sql("INSERT INTO system_wallets (owner_id, name, address, created_at) VALUES (:owner, :name, :address, :now) "
                        + "ON CONFLICT (owner_id, name) DO NOTHING")
                .param("owner", ownerId).param("name", name).param("address", address).param("now", Timestamp.from(now)).update() == 1;
    }

    /** Removes a wallet that was never handed out (a system wallet that lost the race to be recorded). */
    public void deleteUnused(String address) {
        jdbc.sql("DELETE FROM wallets WHERE address = :address").param("address", address).update();
    }

    public Optional<Wallet> find(String address) {
        return jdbc.sql("SELECT * FROM wallets WHERE address = :address").param("address", address).query(WalletRepository::map).optional();
    }

    public List<Wallet> byOwner(String ownerId, int offset, int limit) {
        return jdbc.sql("SELECT * FROM wallets WHERE owner_id = :owner AND status = 'active' ORDER BY created_at, address "
                        + "OFFSET :offset LIMIT :limit")
                .param("owner", ownerId).param("offset", offset).param("limit", limit).query(WalletRepository::map).list();
    }

    public long countByOwner(String ownerId) {
        return jdbc.sql("SELECT count(*) FROM wallets WHERE owner_id = :owner AND status = 'active'").param("owner", ownerId)
                .query(Long.class).single();
    }

    public void updateDetails(String address, String name, List<String> tags, String status, java.time.Instant now) {
        jdbc.sql("UPDATE wallets SET name = :name, tags = string_to_array(:tags, ','), status = :status, updated_at = :now WHERE address = :address")
                .param("address", address).param("name", name).param("tags", String.join(",", tags)).param("status", status)
                .param("now", Timestamp.from(now)).update();
    }

    /** Wallets whose data key is wrapped under another version than the current one. */
    public List<Wallet> wrappedUnderOtherVersions(String protector, String currentVersion, int limit) {
        return jdbc.sql("SELECT * FROM wallets WHERE key_protector = :protector AND key_version <> :version LIMIT :limit")
                .param("protector", protector).param("version", currentVersion).param("limit", limit).query(WalletRepository::map).list();
    }

    /** Replaces the wrapped data key, only if it is still the one that was read (no lost update). */
    public boolean rewrapped(String address, SealedKey before, SealedKey after) {
        return jdbc.sql("UPDATE wallets SET wrapped_data_key = :dek, key_version = :version WHERE address = :address "
                        + "AND wrapped_data_key = :old")
                .param("dek", after.wrappedDataKey()).param("version", after.keyVersion()).param("address", address)
                .param("old", before.wrappedDataKey()).update() == 1;
    }

    public long countUnderOtherVersions(String protector, String currentVersion) {
        return jdbc.sql("SELECT count(*) FROM wallets WHERE key_protector = :protector AND key_version <> :version")
                .param("protector", protector).param("version", currentVersion).query(Long.class).single();
    }

    public long countByKeyVersion(String protector, String version) {
        return jdbc.sql("SELECT count(*) FROM wallets WHERE key_protector = :protector AND key_version = :version")
                .param("protector", protector).param("version", version).query(Long.class).single();
    }

    private static Wallet map(ResultSet rs, int row) throws SQLException {
        String[] tags = (String[]) rs.getArray("tags").getArray();
        return new Wallet(rs.getString("address"), rs.getString("owner_id"), rs.getString("organization_id"), rs.getString("name"),
                List.copyOf(Arrays.asList(tags)), KeyAlgorithm.valueOf(rs.getString("algorithm")), rs.getBytes("public_key"),
                rs.getString("derivation_path"), new SealedKey(rs.getBytes("private_key_ciphertext"), rs.getString("wrapped_data_key"),
                        rs.getString("key_protector"), rs.getString("key_version")),
                rs.getString("status"), rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }
}
