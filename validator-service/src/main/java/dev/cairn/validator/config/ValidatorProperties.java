package dev.cairn.validator.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The validator's settings. A replica names itself in leases and dockets by its instance id
 * ({@code CAIRN_INSTANCE_ID}, by default {@code validator-service@<host name>:<port>}), so
 * scaled replicas need no settings of their own.
 *
 * @param registerUris         the register service ({@code CAIRN_VALIDATOR_REGISTERURIS}, comma-separated;
 *                             tried in turn)
 * @param walletUris           the wallet service ({@code CAIRN_VALIDATOR_WALLETURIS}, comma-separated)
 * @param blueprintUris        the blueprint service ({@code CAIRN_VALIDATOR_BLUEPRINTURIS}, comma-separated)
 * @param systemWallet         name and key type of the wallet that signs dockets
 *                             ({@code CAIRN_VALIDATOR_SYSTEMWALLET_NAME}, default {@code validator};
 *                             {@code CAIRN_VALIDATOR_SYSTEMWALLET_ALGORITHM}, default {@code ED25519})
 * @param docket               when a docket is sealed: {@code max-transactions} (default 500) or
 *                             {@code max-wait} after the oldest pending transaction arrived (default 100ms);
 *                             {@code max-bytes} caps its transactions' total size (default 1 MiB, below
 *                             the register's request limit)
 * @param lease                a register's lease: {@code ttl} (default 5s) and {@code renew-every} (default 1s)
 * @param pollInterval         how often a replica looks for work (default 25ms)
 * @param sealingThreads       how many registers a replica seals at the same time (default 4)
 * @param genesisPollInterval  how often a replica looks for registers awaiting genesis (default 2s)
 * @param maxClockSkew         how far in the future a transaction's timestamp may be (default 30s)
 * @param maxAge               how old a transaction may be when submitted, and when sealed (default 24h)
 * @param batchLimit           most transactions in one batch submission (default 500)
 * @param maxTransactionBytes  largest transaction, as JSON (default 262144 bytes)
 */
@ConfigurationProperties("cairn.validator")
public record ValidatorProperties(List<URI> registerUris, List<URI> walletUris, List<URI> blueprintUris, SystemWallet systemWallet, Docket docket,
        Lease lease, Duration pollInterval, Integer sealingThreads, Duration genesisPollInterval, Duration maxClockSkew, Duration maxAge, Integer batchLimit,
        Integer maxTransactionBytes) {

    public record SystemWallet(String name, String algorithm) {
        public SystemWallet {
            name = name == null || name.isBlank() ? "validator" : name;
            algorithm = algorithm == null || algorithm.isBlank() ? "ED25519" : algorithm;
        }
    }

    public record Docket(Integer maxTransactions, Duration maxWait, Long maxBytes) {
        public Docket {
            maxTransactions = maxTransactions == null ? 500 : maxTransactions;
            maxWait = maxWait == null ? Duration.ofMillis(100) : maxWait;
            maxBytes = maxBytes == null ? 1_048_576L : maxBytes;
            if (maxTransactions < 1) {
                throw new IllegalArgumentException("cairn.validator.docket.max-transactions must be at least 1");
            }
        }
    }

    public record Lease(Duration ttl, Duration renewEvery) {
        public Lease {
            ttl = ttl == null ? Duration.ofSeconds(5) : ttl;
            renewEvery = renewEvery == null ? Duration.ofSeconds(1) : renewEvery;
            if (renewEvery.compareTo(ttl.dividedBy(2)) > 0) {
                throw new IllegalArgumentException("cairn.validator.lease.renew-every must be at most half of the ttl");
            }
        }
    }

    public ValidatorProperties {
        registerUris = registerUris == null || registerUris.isEmpty() ? List.of(URI.create("http://127.0.0.1:8083")) : List.copyOf(registerUris);
        blueprintUris = blueprintUris == null || blueprintUris.isEmpty() ? List.of(URI.create("http://127.0.0.1:8085")) : List.copyOf(blueprintUris);
        walletUris = walletUris == null || walletUris.isEmpty() ? List.of(URI.create("http://127.0.0.1:8082")) : List.copyOf(walletUris);
        systemWallet = systemWallet == null ? new SystemWallet(null, null) : systemWallet;
        docket = docket == null ? new Docket(null, null, null) : docket;
        lease = lease == null ? new Lease(null, null) : lease;
        pollInterval = pollInterval == null ? Duration.ofMillis(25) : pollInterval;
        sealingThreads = sealingThreads == null ? 4 : sealingThreads;
        if (sealingThreads < 1) {
            throw new IllegalArgumentException("cairn.validator.sealing-threads must be at least 1");
        }
        genesisPollInterval = genesisPollInterval == null ? Duration.ofSeconds(2) : genesisPollInterval;
        maxClockSkew = maxClockSkew == null ? Duration.ofSeconds(30) : maxClockSkew;
        maxAge = maxAge == null ? Duration.ofHours(24) : maxAge;
        batchLimit = batchLimit == null ? 500 : batchLimit;
        maxTransactionBytes = maxTransactionBytes == null ? 262_144 : maxTransactionBytes;
    }
}
