package dev.cairn.localcluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The secrets of a local installation, generated once into {@code data/secrets} (directory 700,
 * files 600) and handed to processes through their environment, never on a command line: the
 * PostgreSQL password, the tenant, wallet and peer services' key-encryption keys, and one client
 * secret per service for the client-credentials grant.
 */
public final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path directory;

    private Secrets(Path directory) {
        this.directory = directory;
    }

    public static Secrets load(Path dataDirectory) {
        return new Secrets(dataDirectory.resolve("secrets"));
    }

    public String postgresPassword() {
        return get("postgres-password", false);
    }

    /** Base64 of 32 random bytes. */
    public String tenantKeyEncryptionKey() {
        return get("tenant-key-encryption-key", true);
    }

    /** Base64 of 32 random bytes: the wallet service's local key-encryption key. */
    public String walletKeyEncryptionKey() {
        return get("wallet-key-encryption-key", true);
    }

    /** Base64 of 32 random bytes: wraps the installation's node key (peer service). */
    public String peerKeyEncryptionKey() {
        return get("peer-key-encryption-key", true);
    }

    public String clientSecret(String service) {
        return get("client-secret-" + service, false);
    }

    private synchronized String get(String name, boolean standardBase64) {
        Path file = directory.resolve(name);
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            byte[] random = new byte[32];
            RANDOM.nextBytes(random);
            String value = standardBase64 ? Base64.getEncoder().encodeToString(random)
                    : Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Path temporary = directory.resolve(name + ".tmp");
            Files.writeString(temporary, value);
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
            Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create secret " + file, e);
        }
    }
}
