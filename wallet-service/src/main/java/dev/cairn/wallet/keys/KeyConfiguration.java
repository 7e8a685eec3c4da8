package dev.cairn.wallet.keys;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
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
import org.springframework.vault.client.VaultEndpoint;
import org.springframework.vault.core.VaultTemplate;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(KeyProtectionProperties.class)
class KeyConfiguration {

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

    static VaultTransitKeyProtector vault(KeyProtectionProperties.Vault vault) {
        if (vault.uri() == null) {
            throw new IllegalStateException("cairn.wallet.keys.vault.uri (CAIRN_WALLET_KEYS_VAULT_URI) is required with the vault protector");
        }
        ClientAuthentication authentication;
        if (vault.token() != null && !vault.token().isBlank()) {
            authentication = new TokenAuthentication(vault.token());
        } else if (vault.roleId() != null && vault.secretId() != null) {
            authentication = new AppRoleAuthentication(AppRoleAuthenticationOptions.builder()
                    .roleId(AppRoleAuthenticationOptions.RoleId.provided(vault.roleId()))
                    .secretId(AppRoleAuthenticationOptions.SecretId.provided(vault.secretId()))
                    .build(), new org.springframework.web.client.RestTemplate());
        } else {
            throw new IllegalStateException("Vault needs a token (CAIRN_WALLET_KEYS_VAULT_TOKEN) or AppRole role and secret ids");
        }
        VaultTemplate template = new VaultTemplate(VaultEndpoint.from(vault.uri()), authentication);
        VaultTransitKeyProtector protector = new VaultTransitKeyProtector(template, vault.transitPath(), vault.keyName());
        protector.currentVersion(); // fail at start when the transit key is missing or Vault is unreachable
        return protector;
    }
}
