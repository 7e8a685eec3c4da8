package dev.cairn.peer.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

import dev.cairn.keys.KeyProtection;

import dev.cairn.ledger.NodeIds;

/**
 * The peer service's settings ({@code cairn.peer.*}; each also as an environment variable, e.g.
 * {@code CAIRN_PEER_SEEDS}).
 *
 * @param url                 this installation's address as other installations reach it (its
 *                            nginx or gateway; {@code CAIRN_PEER_URL}); required for others to
 *                            call back, so it is sent in every exchange
 * @param seeds               installations to contact first ({@code CAIRN_PEER_SEEDS}, comma-separated URLs)
 * @param allow               NodeIds allowed to talk to this installation ({@code CAIRN_PEER_ALLOW}, comma-separated)
 * @param trustOnFirstUse     development only: admit any NodeId that signs its messages, pinning
 *                            its key at first contact ({@code CAIRN_PEER_TRUSTONFIRSTUSE}, default false)
 * @param keys                how the node's private key is protected in MongoDB: a local
 *                            key-encryption key ({@code CAIRN_PEER_KEYS_LOCAL_KEY}, the default
 *                            protector) or a Vault transit key ({@code CAIRN_PEER_KEYS_PROTECTOR=vault},
 *                            transit key {@code cairn-peer} unless set)
 * @param registerUris        the register service ({@code CAIRN_PEER_REGISTERURIS}, comma-separated)
 * @param exchangeInterval    how often the installation exchanges peer lists and register heads with each peer (default 5 s)
 * @param suspectAfter        a peer not heard from for this long is {@code suspect} (default 15 s)
 * @param deadAfter           ... and {@code dead} after this long (default 30 s)
 * @param forgetAfter         ... and forgotten after this long, unless it is a seed (default 24 h)
 * @param messageWindow       how far a message's time may be from this installation's clock; a
 *                            message's nonce is remembered this long, twice over (default 2 min)
 * @param banFor              how long a peer that served bad data is neither asked nor answered (default 60 s)
 * @param requestsPerSecond   requests one peer may make of this installation per second, per replica (default 50)
 * @param batchDockets        most dockets asked for, and served, in one batch (default and at most 100); a
 *                            request for more, up to 100, is served this many
 * @param longPoll            how long a caught-up subscriber waits for a new docket in one request (default 10 s)
 * @param syncInterval        how often each replica looks for subscriptions to replicate (default 1 s)
 * @param leaseTtl            a replicating replica's lease on a subscription (default 5 s)
 * @param leaseRenewEvery     how often the holder renews it (default 1 s)
 */
@ConfigurationProperties("cairn.peer")
public record PeerProperties(URI url, List<URI> seeds, List<String> allow, Boolean trustOnFirstUse, @NestedConfigurationProperty KeyProtection keys,
        List<URI> registerUris, Duration exchangeInterval, Duration suspectAfter, Duration deadAfter, Duration forgetAfter,
        Duration messageWindow, Duration banFor, Integer requestsPerSecond, Integer batchDockets, Duration longPoll, Duration syncInterval,
        Duration leaseTtl, Duration leaseRenewEvery) {

    /** The most dockets one batch may hold in the protocol, whatever either side is configured for. */
    public static final int MAX_BATCH_DOCKETS = 100;

    public PeerProperties {
        seeds = seeds == null ? List.of() : List.copyOf(seeds);
        allow = allow == null ? List.of() : allow.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        for (String nodeId : allow) {
            if (!NodeIds.isValid(nodeId)) {
                throw new IllegalArgumentException("cairn.peer.allow: '" + nodeId + "' is not a NodeId (40 lower-case hex digits)");
            }
        }
        trustOnFirstUse = trustOnFirstUse != null && trustOnFirstUse;
        keys = keys == null ? new KeyProtection(null, null, null) : keys;
        registerUris = registerUris == null || registerUris.isEmpty() ? List.of(URI.create("http://127.0.0.1:8083")) : List.copyOf(registerUris);
        exchangeInterval = orDefault(exchangeInterval, Duration.ofSeconds(5));
        suspectAfter = orDefault(suspectAfter, Duration.ofSeconds(15));
        deadAfter = orDefault(deadAfter, Duration.ofSeconds(30));
        forgetAfter = orDefault(forgetAfter, Duration.ofHours(24));
        if (deadAfter.compareTo(suspectAfter) <= 0) {
            throw new IllegalArgumentException("cairn.peer.dead-after must be longer than cairn.peer.suspect-after");
        }
        messageWindow = orDefault(messageWindow, Duration.ofMinutes(2));
        banFor = orDefault(banFor, Duration.ofSeconds(60));
        requestsPerSecond = requestsPerSecond == null ? 50 : requestsPerSecond;
        batchDockets = batchDockets == null ? MAX_BATCH_DOCKETS : Math.max(1, Math.min(MAX_BATCH_DOCKETS, batchDockets));
        longPoll = orDefault(longPoll, Duration.ofSeconds(10));
        syncInterval = orDefault(syncInterval, Duration.ofSeconds(1));
        leaseTtl = orDefault(leaseTtl, Duration.ofSeconds(5));
        leaseRenewEvery = orDefault(leaseRenewEvery, Duration.ofSeconds(1));
    }

    private static Duration orDefault(Duration value, Duration fallback) {
        return value == null ? fallback : value;
    }
}
