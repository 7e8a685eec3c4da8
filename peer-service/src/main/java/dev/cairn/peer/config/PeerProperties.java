package dev.cairn.peer.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.validation.annotation.Validated;

import dev.cairn.keys.KeyProtection;

import dev.cairn.ledger.NodeIds;

/**
 * The peer service's settings ({@code cairn.peer.*}; every default and variable is in
 * docs/configuration.md).
 *
 * @param url                 this installation's address as other installations reach it (its
 *                            nginx or gateway; {@code CAIRN_PEER_URL}); required for others to
 *                            call back, so it is sent in every exchange
 * @param seeds               installations to contact first ({@code CAIRN_PEER_SEEDS}, comma-separated URLs)
 * @param allow               NodeIds allowed to talk to this installation ({@code CAIRN_PEER_ALLOW}, comma-separated)
 * @param trustOnFirstUse     development only: admit any NodeId that signs its messages, pinning
 *                            its key at first contact ({@code CAIRN_PEER_TRUSTONFIRSTUSE})
 * @param keys                how the node's private key is protected in MongoDB: a local
 *                            key-encryption key ({@code CAIRN_PEER_KEYS_LOCAL_KEY}, the default
 *                            protector) or a Vault transit key ({@code CAIRN_PEER_KEYS_PROTECTOR=vault},
 *                            transit key {@code cairn-peer} unless set)
 * @param registerUris        the register service ({@code CAIRN_PEER_REGISTERURIS}, comma-separated)
 * @param exchangeInterval    how often the installation exchanges peer lists and register heads with each peer
 * @param suspectAfter        a peer not heard from for this long is {@code suspect}
 * @param deadAfter           ... and {@code dead} after this long
 * @param forgetAfter         ... and forgotten after this long, unless it is a seed
 * @param messageWindow       how far a message's time may be from this installation's clock; a
 *                            message's nonce is remembered this long, twice over
 * @param banFor              how long a peer that served bad data is neither asked nor answered
 * @param requestsPerSecond   requests one peer may make of this installation per second, per replica
 * @param batchDockets        most dockets asked for, and served, in one batch; a
 *                            request for more, up to 100, is served this many
 * @param longPoll            how long a caught-up subscriber waits for a new docket in one request
 * @param syncInterval        how often each replica looks for subscriptions to replicate
 * @param leaseTtl            a replicating replica's lease on a subscription
 * @param leaseRenewEvery     how often the holder renews it
 */
@Validated
@ConfigurationProperties("cairn.peer")
public record PeerProperties(URI url, @DefaultValue List<URI> seeds, @DefaultValue List<String> allow,
        @DefaultValue("false") boolean trustOnFirstUse, @NestedConfigurationProperty @DefaultValue KeyProtection keys,
        @DefaultValue("http://127.0.0.1:8083") @NotEmpty List<URI> registerUris, @DefaultValue("5s") Duration exchangeInterval,
        @DefaultValue("15s") Duration suspectAfter, @DefaultValue("30s") Duration deadAfter, @DefaultValue("24h") Duration forgetAfter,
        @DefaultValue("2m") Duration messageWindow, @DefaultValue("60s") Duration banFor, @DefaultValue("50") @Min(1) int requestsPerSecond,
        @DefaultValue("100") @Min(1) @Max(MAX_BATCH_DOCKETS) int batchDockets, @DefaultValue("10s") Duration longPoll,
        @DefaultValue("1s") Duration syncInterval, @DefaultValue("5s") Duration leaseTtl, @DefaultValue("1s") Duration leaseRenewEvery) {

    /** The most dockets one batch may hold in the protocol, whatever either side is configured for. */
    public static final int MAX_BATCH_DOCKETS = 100;

    public PeerProperties {
        seeds = List.copyOf(seeds);
        allow = allow.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        for (String nodeId : allow) {
            if (!NodeIds.isValid(nodeId)) {
                throw new IllegalArgumentException("cairn.peer.allow: '" + nodeId + "' is not a NodeId (40 lower-case hex digits)");
            }
        }
        registerUris = List.copyOf(registerUris);
        if (deadAfter.compareTo(suspectAfter) <= 0) {
            throw new IllegalArgumentException("cairn.peer.dead-after must be longer than cairn.peer.suspect-after");
        }
    }
}
