package dev.cairn.tenant.config;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Base64;

import dev.cairn.platform.auth.AuthProperties;
import dev.cairn.platform.crypto.AesGcm;
import dev.cairn.tenant.auth.LoginThrottle;
import dev.cairn.tenant.principal.ServicePrincipals;
import dev.cairn.tenant.principal.SystemPrincipalProvisioner;
import dev.cairn.tenant.revocation.DurableRevocationList;
import dev.cairn.tenant.token.SigningKeys;
import dev.cairn.tenant.token.TokenIssuer;
import dev.cairn.tenant.user.Passwords;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties(TenantProperties.class)
class TenantConfiguration {

    @Bean
    Passwords passwords() {
        return new Passwords();
    }

    /** Also the {@link dev.cairn.platform.auth.KeySource} that verifies tokens in this service. */
    @Bean
    SigningKeys signingKeys(JdbcClient jdbc, TransactionTemplate transactions, TenantProperties properties, AuthProperties auth,
            Clock clock) {
        return new SigningKeys(jdbc, transactions, keyEncryptionKey(properties), properties.tokens(), auth, clock);
    }

    @Bean
    TokenIssuer tokenIssuer(SigningKeys keys, AuthProperties auth, TenantProperties properties, Clock clock) {
        return new TokenIssuer(keys, auth, properties.tokens(), clock);
    }

    /** Revocations kept in PostgreSQL as well as Redis, and restored into a Redis that restarted empty (every service reads them). */
    @Bean
    DurableRevocationList revocationList(StringRedisTemplate redis, JdbcClient jdbc, AuthProperties auth, Clock clock) {
        return new DurableRevocationList(redis, jdbc, auth.maxTokenLifetime(), clock);
    }

    @Bean
    LoginThrottle loginThrottle(StringRedisTemplate redis, TenantProperties properties) {
        return new LoginThrottle(redis, properties.login());
    }

    @Bean
    SystemPrincipalProvisioner systemPrincipalProvisioner(ServicePrincipals principals, Passwords passwords, Clock clock) {
        return new SystemPrincipalProvisioner(principals, passwords, clock);
    }

    /** Before the service reports ready: a signing key exists and Cairn's services can get tokens. */
    @Bean
    ApplicationRunner tenantStartup(SigningKeys keys, SystemPrincipalProvisioner provisioner, TenantProperties properties) {
        return args -> {
            keys.maintain();
            provisioner.provision(properties.servicePrincipals());
        };
    }

    /** The key-encryption key is required and never generated: without it the keys could not be read back. */
    static byte[] keyEncryptionKey(TenantProperties properties) {
        String encoded = properties.keyEncryptionKey();
        if ((encoded == null || encoded.isBlank()) && properties.keyEncryptionKeyFile() != null) {
            try {
                encoded = Files.readString(properties.keyEncryptionKeyFile()).trim();
            } catch (IOException e) {
                throw new IllegalStateException("Cannot read cairn.tenant.key-encryption-key-file " + properties.keyEncryptionKeyFile(), e);
            }
        }
        if (encoded == null || encoded.isBlank()) {
            throw new IllegalStateException("No key-encryption key: set CAIRN_TENANT_KEYENCRYPTIONKEY (base64 of 32 random bytes, "
                    + "e.g. from 'openssl rand -base64 32') or CAIRN_TENANT_KEYENCRYPTIONKEYFILE");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(encoded.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("The key-encryption key is not valid base64");
        }
        if (key.length != AesGcm.KEY_SIZE) {
            throw new IllegalStateException("The key-encryption key must be 32 bytes (base64 of 32 random bytes), got " + key.length);
        }
        return key;
    }
}
