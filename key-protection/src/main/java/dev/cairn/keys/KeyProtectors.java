package dev.cairn.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.vault.authentication.AppRoleAuthentication;
import org.springframework.vault.authentication.AppRoleAuthenticationOptions;
import org.springframework.vault.authentication.ClientAuthentication;
import org.springframework.vault.authentication.LifecycleAwareSessionManager;
import org.springframework.vault.authentication.TokenAuthentication;
import org.springframework.vault.client.VaultClients;
import org.springframework.vault.client.VaultEndpoint;
import org.springframework.vault.core.VaultTemplate;
import org.springframework.web.client.RestTemplate;

import dev.cairn.platform.crypto.AesGcm;

/** Makes the protector that {@link KeyProtection} settings name, failing at start with what is missing. */
public final class KeyProtectors {

    private static final Duration VAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration VAULT_READ_TIMEOUT = Duration.ofSeconds(5);

    /**
     * What a service protects, for its messages and defaults.
     *
     * @param what           the keys' owner in messages ({@code wallet}, {@code node})
     * @param prefix         the settings' prefix ({@code cairn.wallet.keys}); its environment
     *                       variables are the upper-case form ({@code CAIRN_WALLET_KEYS_...})
     * @param transitKey     the Vault transit key used when none is set
     * @param localContext   associated data of a data key wrapped by the local key, so that a
     *                       wrap made for one purpose never opens as another's
     */
    public record Purpose(String what, String prefix, String transitKey, String localContext) {

        String env(String suffix) {
            return prefix.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT) + "_" + suffix;
        }
    }

    private KeyProtectors() {
    }

    public static KeyProtector create(KeyProtection settings, Purpose purpose) {
        return switch (settings.protector()) {
            case "local" -> local(settings.local(), purpose);
            case "vault" -> vault(settings.vault(), purpose);
            default -> throw new IllegalStateException(purpose.prefix() + ".protector must be 'local' or 'vault', not '"
                    + settings.protector() + "'");
        };
    }

    /**
     * The local key-encryption key must be given: a key made up at start would leave every
     * sealed key unreadable after a restart, or differ between replicas.
     */
    public static LocalKeyProtector local(KeyProtection.Local local, Purpose purpose) {
        List<byte[]> previous = new ArrayList<>();
        local.previousKeys().forEach(key -> previous.add(decode(key, purpose)));
        return new LocalKeyProtector(localKey(local, purpose), previous, purpose.localContext().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The current local key-encryption key itself, from the setting or its file: only for opening
     * keys stored in a format older than {@link SealedKey}; everything else goes through a protector.
     */
    public static byte[] localKey(KeyProtection.Local local, Purpose purpose) {
        String encoded = local.key();
        if ((encoded == null || encoded.isBlank()) && local.keyFile() != null) {
            try {
                encoded = Files.readString(local.keyFile()).trim();
            } catch (IOException e) {
                throw new IllegalStateException("Cannot read the " + purpose.what() + " key-encryption key file " + local.keyFile() + ": "
                        + e.getMessage());
            }
        }
        if (encoded == null || encoded.isBlank()) {
            throw new IllegalStateException("No " + purpose.what() + " key-encryption key: set " + purpose.env("LOCAL_KEY")
                    + " (base64 of 32 random bytes) or " + purpose.env("LOCAL_KEYFILE") + ", or use Vault (" + purpose.env("PROTECTOR")
                    + "=vault)");
        }
        return decode(encoded, purpose);
    }

    private static byte[] decode(String base64, Purpose purpose) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("A " + purpose.what() + " key-encryption key is not valid base64");
        }
        if (key.length != AesGcm.KEY_SIZE) {
            throw new IllegalStateException("A " + purpose.what() + " key-encryption key must be 32 bytes, got " + key.length);
        }
        return key;
    }

    /**
     * Vault transit with a token or an AppRole login. The session manager renews the token
     * before it expires and logs in again when it cannot be renewed, so a long-running replica
     * never works with an expired token; on close it revokes a token it obtained by login.
     */
    public static VaultTransitKeyProtector vault(KeyProtection.Vault vault, Purpose purpose) {
        if (vault.uri() == null) {
            throw new IllegalStateException(purpose.prefix() + ".vault.uri (" + purpose.env("VAULT_URI") + ") is required with the vault protector");
        }
        VaultEndpoint endpoint = VaultEndpoint.from(vault.uri());
        SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
        requests.setConnectTimeout(VAULT_CONNECT_TIMEOUT);
        requests.setReadTimeout(VAULT_READ_TIMEOUT);
        RestTemplate vaultHttp = VaultClients.createRestTemplate(endpoint, requests);
        ClientAuthentication authentication;
        if (vault.token() != null && !vault.token().isBlank()) {
            authentication = new TokenAuthentication(vault.token());
        } else if (vault.roleId() != null && !vault.roleId().isBlank() && vault.secretId() != null && !vault.secretId().isBlank()) {
            authentication = new AppRoleAuthentication(AppRoleAuthenticationOptions.builder()
                    .roleId(AppRoleAuthenticationOptions.RoleId.provided(vault.roleId()))
                    .secretId(AppRoleAuthenticationOptions.SecretId.provided(vault.secretId()))
                    .build(), vaultHttp);
        } else {
            throw new IllegalStateException("Vault needs a token (" + purpose.env("VAULT_TOKEN") + ") or an AppRole ("
                    + purpose.env("VAULT_ROLEID") + " and " + purpose.env("VAULT_SECRETID") + ")");
        }
        ThreadPoolTaskScheduler renewals = new ThreadPoolTaskScheduler();
        renewals.setThreadNamePrefix("vault-session-");
        renewals.setDaemon(true);
        renewals.initialize();
        LifecycleAwareSessionManager session = new LifecycleAwareSessionManager(authentication, renewals, vaultHttp);
        VaultTemplate template = new VaultTemplate(endpoint, requests, session);
        String keyName = vault.keyName() == null || vault.keyName().isBlank() ? purpose.transitKey() : vault.keyName();
        VaultTransitKeyProtector protector = new VaultTransitKeyProtector(template, vault.transitPath(), keyName, () -> {
            session.destroy();
            renewals.shutdown();
        });
        try {
            protector.currentVersion(); // fail at start when the transit key is missing or Vault is unreachable
        } catch (RuntimeException e) {
            protector.close();
            throw e;
        }
        return protector;
    }
}
