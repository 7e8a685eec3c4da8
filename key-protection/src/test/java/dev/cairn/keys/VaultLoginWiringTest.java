package dev.cairn.keys;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How the wallet service talks to Vault's HTTP API when it logs in with an AppRole: the login
 * goes to Vault's address (not a relative URL), the token it returns is the one used for
 * transit, and closing the protector revokes that token. No Vault server can run on a build
 * machine without Docker, so a stand-in answers the three calls here exactly as Vault's API
 * documents them; VaultTransitKeyProtectorIT runs the same path against a real Vault.
 */
class VaultLoginWiringTest {

    private static final KeyProtectors.Purpose WALLET_KEYS = new KeyProtectors.Purpose("wallet", "cairn.wallet.keys", "cairn-wallet",
            "cairn/wallet/data-key");

    private HttpServer vault;
    private final List<String> calls = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        vault = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        vault.createContext("/v1/auth/approle/login", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            calls.add("login " + body.replace(" ", ""));
            answer(exchange, 200, """
                    {"auth":{"client_token":"login-token-1","accessor":"acc","policies":["cairn-wallet"],
                     "lease_duration":3600,"renewable":true}}""");
        });
        vault.createContext("/v1/transit/keys/cairn-wallet", exchange -> {
            calls.add("read key with " + exchange.getRequestHeaders().getFirst("X-Vault-Token"));
            answer(exchange, 200, """
                    {"data":{"name":"cairn-wallet","type":"aes256-gcm96","latest_version":3,"min_decryption_version":1,
                     "min_encryption_version":0,"exportable":false,"deletion_allowed":false,"supports_encryption":true,
                     "supports_decryption":true,"supports_derivation":true,"supports_signing":false,
                     "keys":{"1":1700000000,"2":1700000001,"3":1700000002}}}""");
        });
        vault.createContext("/v1/auth/token/revoke-self", exchange -> {
            calls.add("revoke " + exchange.getRequestHeaders().getFirst("X-Vault-Token"));
            answer(exchange, 204, null);
        });
        vault.start();
    }

    @AfterEach
    void stop() {
        vault.stop(0);
    }

    @Test
    void logsInWithTheAppRoleUsesItsTokenAndRevokesItOnClose() {
        VaultTransitKeyProtector protector = KeyProtectors.vault(new KeyProtection.Vault(
                URI.create("http://127.0.0.1:" + vault.getAddress().getPort()), null, "role-1", "secret-1", null, null), WALLET_KEYS);

        assertThat(protector.currentVersion()).isEqualTo("vault:v3");
        assertThat(calls).first().asString().contains("\"role_id\":\"role-1\"", "\"secret_id\":\"secret-1\"");
        assertThat(calls).contains("read key with login-token-1");

        protector.close();
        assertThat(calls).last().isEqualTo("revoke login-token-1");
    }

    @Test
    void aGivenTokenIsUsedAsItIsAndNotRevoked() {
        VaultTransitKeyProtector protector = KeyProtectors.vault(new KeyProtection.Vault(
                URI.create("http://127.0.0.1:" + vault.getAddress().getPort()), "operator-token", null, null, null, null), WALLET_KEYS);
        assertThat(protector.currentVersion()).isEqualTo("vault:v3");
        protector.close();
        assertThat(calls).isNotEmpty().allMatch("read key with operator-token"::equals);
    }

    @Test
    void withoutCredentialsTheServiceRefusesToStartAndSaysWhatIsMissing() {
        assertThatThrownBy(() -> KeyProtectors.vault(new KeyProtection.Vault(
                URI.create("http://127.0.0.1:" + vault.getAddress().getPort()), null, "role-only", " ", null, null), WALLET_KEYS))
                .hasMessageContaining("CAIRN_WALLET_KEYS_VAULT_ROLEID")
                .hasMessageContaining("CAIRN_WALLET_KEYS_VAULT_SECRETID")
                .hasMessageNotContaining("role-only");
        assertThat(calls).isEmpty();
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        if (json == null) {
            exchange.sendResponseHeaders(status, -1);
        } else {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        }
        exchange.close();
    }
}
