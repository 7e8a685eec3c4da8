package dev.cairn.blueprint.clients;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import dev.cairn.blueprint.config.BlueprintProperties;
import dev.cairn.platform.auth.Caller;
import dev.cairn.platform.auth.ServiceTokenClient;
import dev.cairn.ledger.crypto.LedgerAddress;
import dev.cairn.platform.crypto.WalletEncryption;
import dev.cairn.platform.http.ServiceHttp;
import dev.cairn.ledger.LedgerHashes;
import dev.cairn.platform.problem.ApiException;

/**
 * The wallet service, as workflows use it. Public keys are public and never change for an
 * address (the address is the key's hash, checked here), so they are kept once read. Whether a
 * caller owns a wallet is asked with the caller's own token (the wallet service answers only its
 * owner), and kept for half a minute. Signing, too, is done with the caller's token: the wallet
 * signs only for its owner, so no one can act for a participant whose wallet they do not hold.
 */
@Component
public class WalletDirectory {

    /** A wallet's public key. */
    public record PublicKey(String address, String algorithm, byte[] key) {
    }

    private static final Duration OWNERSHIP_KEPT = Duration.ofSeconds(30);
    private static final int KEPT = 10_000;

    private final ServiceHttp http;
    private final Clock clock;
    private final Map<String, PublicKey> keys = bounded();
    private final Map<String, Instant> owners = bounded();
    private final Map<String, Instant> strangers = bounded();

    WalletDirectory(BlueprintProperties properties, ServiceTokenClient tokens, JsonMapper json, Clock clock) {
        this.http = new ServiceHttp("wallet-service", properties.walletUris(), tokens, json);
        this.clock = clock;
    }

    /** @throws ApiException 400 {@code unknown-wallet} when no active wallet has this address */
    public PublicKey publicKey(String address) {
        synchronized (keys) {
            PublicKey known = keys.get(address);
            if (known != null) {
                return known;
            }
        }
        if (!LedgerAddress.isValid(address)) {
            throw ApiException.badRequest("invalid-address", "'" + address + "' is not a Cairn wallet address");
        }
        ServiceHttp.Answer answer = http.get("/api/wallets/" + address + "/public-key");
        if (answer.status() == 404 || answer.status() == 400) {
            throw ApiException.badRequest("unknown-wallet", "No wallet has the address " + address);
        }
        if (!answer.ok()) {
            throw new ServiceHttp.UnreachableException("wallet-service answered " + answer.status() + " for a public key", null);
        }
        String algorithm = answer.body().path("algorithm").asString();
        byte[] key = Base64.getDecoder().decode(answer.body().path("publicKey").asString());
        if (!LedgerAddress.matches(address, algorithm, key)) {
            throw new ServiceHttp.UnreachableException("wallet-service gave a public key that is not the address's", null);
        }
        PublicKey found = new PublicKey(address, algorithm, key);
        synchronized (keys) {
            keys.put(address, found);
        }
        return found;
    }

    /** Base64 of the data encrypted to the wallet's key: only its owner can open it. */
    public String encrypt(PublicKey key, byte[] plaintext) {
        return Base64.getEncoder().encodeToString(WalletEncryption.encrypt(key.algorithm(), key.key(), plaintext));
    }

    /** Whether the caller owns the wallet (or, for a service, may sign with it for its organisation). */
    public boolean owns(Caller caller, String token, String address) {
        String key = caller.subject() + " " + address;
        Instant now = clock.instant();
        synchronized (owners) {
            Instant until = owners.get(key);
            if (until != null && now.isBefore(until)) {
                return true;
            }
            until = strangers.get(key);
            if (until != null && now.isBefore(until)) {
                return false;
            }
        }
        ServiceHttp.Answer answer = http.asCaller(token, "GET", "/api/wallets/" + address, null);
        boolean owned = answer.status() == 200;
        if (!owned && answer.status() != 404 && answer.status() != 403 && answer.status() != 400) {
            throw new ServiceHttp.UnreachableException("wallet-service answered " + answer.status() + " about a wallet", null);
        }
        synchronized (owners) {
            (owned ? owners : strangers).put(key, now.plus(OWNERSHIP_KEPT));
        }
        return owned;
    }

    /** The ledger signature {@code {algorithm, publicKey, value}} of a transaction id, made by the caller's wallet. */
    public ObjectNode sign(String token, String address, String txId) {
        ServiceHttp.Answer answer = http.asCaller(token, "POST", "/api/wallets/" + address + "/sign",
                Map.of("data", Base64.getEncoder().encodeToString(LedgerHashes.bytes(txId))));
        if (answer.status() == 404 || answer.status() == 403) {
            throw new ApiException(HttpStatus.FORBIDDEN, "not-participant", "Forbidden", "The wallet " + address
                    + " would not sign for you: only its owner can act with it");
        }
        if (!answer.ok()) {
            throw new ServiceHttp.UnreachableException("wallet-service answered " + answer.status() + " signing", null);
        }
        return JsonNodeFactory.instance.objectNode().put("algorithm", answer.body().path("algorithm").asString())
                .put("publicKey", answer.body().path("publicKey").asString()).put("value", answer.body().path("signature").asString());
    }

    private static <V> Map<String, V> bounded() {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > KEPT;
            }
        };
    }
}
