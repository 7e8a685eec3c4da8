package dev.cairn.wallet.keys;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import dev.cairn.platform.crypto.AesGcm;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.vault.authentication.AppRoleAuthentication;
import org.springframework.vault.authentication.AppRoleAuthenticationOptions;
import org.springframework.vault.authentication.ClientAuthentication;
import org.springframework.vault.authentication.TokenAuthentication;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.vault.authentication.LifecycleAwareSessionManager;
import org.springframework.vault.client.VaultClients;
import org.springframework.vault.client.VaultEndpoint;
import org.springframework.vault.core.VaultTemplate;
import org.springframework.web.client.RestTemplate;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(KeyProtectionProperties.class)
class KeyConfiguration {

    private static final Duration VAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration VAULT_READ_TIMEOUT = Duration.ofSeconds(5);

    @Bean
    KeyProtector keyProtector(KeyProtectionProperties properties) {
        return switch (properties.protector()) {
            case "local" -> local(properties.local());
            case "vault" -> vault(properties.vault());
            default -> throw new IllegalStateException("cairn.wallet.keys.protector must be 'local' or 'vault', not '"
                    + properties.protector() + "'");
        };
    }

    @Bean
    KeySealer keySealer(KeyProtector protector) {
        return new KeySealer(protector);
    }

    @Bean
    UnlockedKeys unlockedKeys(KeyProtectionProperties properties, Clock clock) {
        return new UnlockedKeys(properties.unlockedFor(), properties.unlockedMax(), clock);
    }

    /**
     * The local key-encryption key must be given: a key made up at start would leave every
     * wallet unreadable after a restart, or differ between replicas.
     */
    static LocalKeyProtector local(KeyProtectionProperties.Local local) {
        String encoded = local.key();
        if ((encoded == null || encoded.isBlank()) && local.keyFile() != null) {
            try {
                encoded = Files.readString(local.keyFile()).trim();
            } catch (IOException e) {
                throw new IllegalStateException("Cannot read the wallet key-encryption key file " + local.keyFile() + ": " + e.getMessage());
            }
        }
        if (encoded == null || encoded.isBlank()) {
            throw new IllegalStateException("No wallet key-encryption key: set CAIRN_WALLET_KEYS_LOCAL_KEY (base64 of 32 random bytes) "
                    + "or CAIRN_WALLET_KEYS_LOCAL_KEY_FILE, or use Vault (CAIRN_WALLET_KEYS_PROTECTOR=vault)");
        }
        List<byte[]> previous = new ArrayList<>();
        local.previousKeys().forEach(key -> previous.add(decode(key)));
        return new LocalKeyProtector(decode(encoded), previous);
    }

    private static byte[] decode(String base64) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("A wallet key-encryption key is not valid base64");
        }
        if (key.length != AesGcm.KEY_SIZE) {
            throw new IllegalStateException("A wallet key-encryption key must be 32 bytes, got " + key.length);
        }
        return key;
    }

    /**
     * Vault transit with a token or an AppRole login. The session manager renews the token
     * before it expires and logs in again when it cannot be renewed, so a long-running replica
     * never works with an expired token; on shutdown it revokes a token it obtained by login.
     */
    static VaultTransitKeyProtector vault(KeyProtectionProperties.Vault vault) {
        if (vault.uri() == null) {
            throw new IllegalStateException("cairn.wallet.keys.vault.uri (CAIRN_WALLET_KEYS_VAULT_URI) is required with the vault protector");
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
            throw new IllegalStateException("Vault needs a token (CAIRN_WALLET_KEYS_VAULT_TOKEN) or an AppRole "
                    + "(CAIRN_WALLET_KEYS_VAULT_ROLE_ID and CAIRN_WALLET_KEYS_VAULT_SECRET_ID)");
        }
        ThreadPoolTaskScheduler renewals = new ThreadPoolTaskScheduler();
        renewals.setThreadNamePrefix("vault-session-");
        renewals.setDaemon(true);
        renewals.initialize();
        LifecycleAwareSessionManager session = new LifecycleAwareSessionManager(authentication, renewals, vaultHttp);
        VaultTemplate template = new VaultTemplate(endpoint, requests, session);
        VaultTransitKeyProtector protector = new VaultTransitKeyProtector(template, vault.transitPath(), vault.keyName(), () -> {
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
