package dev.cairn.validator.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The validator's settings ({@code cairn.validator.*}; every default and variable is in
 * docs/configuration.md). A replica names itself in leases and dockets by its instance id, so
 * scaled replicas need no settings of their own.
 *
 * @param registerUris        the register service, tried in turn
 * @param walletUris          the wallet service
 * @param blueprintUris       the blueprint service
 * @param systemWallet        name and key type of the wallet that signs dockets
 * @param docket              when a docket is sealed: at {@code max-transactions}, or {@code max-wait} after the oldest pending
 *                            transaction arrived; {@code max-bytes} caps its transactions' total size (below the register's
 *                            request limit)
 * @param lease               a register's lease: {@code ttl} and {@code renew-every} (at most half the ttl)
 * @param pollInterval        how often a replica looks for work while there is some
 * @param idlePollInterval    how often an idle replica looks for work on its own (arrivals wake it at once)
 * @param sealingThreads      how many registers a replica seals at the same time
 * @param genesisPollInterval how often a replica looks for registers awaiting genesis
 * @param maxClockSkew        how far in the future a transaction's timestamp may be
 * @param maxAge              how old a transaction may be when submitted, and when sealed
 * @param batchLimit          most transactions in one batch submission
 * @param maxTransactionBytes largest transaction, as canonical JSON
 */
@Validated
@ConfigurationProperties("cairn.validator")
public record ValidatorProperties(
        @DefaultValue("http://127.0.0.1:8083") @NotEmpty List<URI> registerUris,
        @DefaultValue("http://127.0.0.1:8082") @NotEmpty List<URI> walletUris,
        @DefaultValue("http://127.0.0.1:8085") @NotEmpty List<URI> blueprintUris,
        @DefaultValue @Valid SystemWallet systemWallet,
        @DefaultValue @Valid Docket docket,
        @DefaultValue @Valid Lease lease,
        @DefaultValue("25ms") Duration pollInterval,
        @DefaultValue("1s") Duration idlePollInterval,
        @DefaultValue("4") @Min(1) int sealingThreads,
        @DefaultValue("2s") Duration genesisPollInterval,
        @DefaultValue("30s") Duration maxClockSkew,
        @DefaultValue("24h") Duration maxAge,
        @DefaultValue("500") @Min(1) int batchLimit,
        @DefaultValue("262144") @Min(1) int maxTransactionBytes) {

    public record SystemWallet(@DefaultValue("validator") @NotBlank String name, @DefaultValue("ED25519") @NotBlank String algorithm) {
    }

    public record Docket(@DefaultValue("500") @Min(1) int maxTransactions, @DefaultValue("100ms") Duration maxWait,
            @DefaultValue("1048576") @Min(1) long maxBytes) {
    }

    public record Lease(@DefaultValue("5s") Duration ttl, @DefaultValue("1s") Duration renewEvery) {
        public Lease {
            if (renewEvery.compareTo(ttl.dividedBy(2)) > 0) {
                throw new IllegalArgumentException("cairn.validator.lease.renew-every must be at most half of the ttl");
            }
        }
    }

    public ValidatorProperties {
        registerUris = List.copyOf(registerUris);
        walletUris = List.copyOf(walletUris);
        blueprintUris = List.copyOf(blueprintUris);
    }
}
