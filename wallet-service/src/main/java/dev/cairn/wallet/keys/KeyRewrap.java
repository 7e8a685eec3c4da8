package dev.cairn.wallet.keys;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import dev.cairn.keys.KeySealer;
import dev.cairn.keys.SealedKey;
import dev.cairn.wallet.store.Wallet;
import dev.cairn.wallet.store.WalletRepository;

/**
 * After the key-encryption key is rotated (a new Vault transit key version, or a new local key
 * with the old one kept in previous-keys), moves every wallet's data key to the current version.
 * Safe to run on several replicas at once: each update applies only if the wrapped key is still
 * the one that was read.
 */
@Service
public class KeyRewrap {

    private static final Logger log = LoggerFactory.getLogger(KeyRewrap.class);
    private static final int BATCH = 200;

    /** Where the wallets' data keys stand: how many are wrapped under the current version of the protector, how many not yet. */
    public record Status(String protector, String currentVersion, long walletsOnCurrentVersion, long walletsOnOtherVersions) {
    }

    private final WalletRepository wallets;
    private final KeySealer sealer;

    public KeyRewrap(WalletRepository wallets, KeySealer sealer) {
        this.wallets = wallets;
        this.sealer = sealer;
    }

    public Status status() {
        String protector = sealer.protector().kind();
        String current = sealer.protector().currentVersion();
        return new Status(protector, current, wallets.countByKeyVersion(protector, current), wallets.countUnderOtherVersions(protector, current));
    }

    /** Rewraps every data key not under the current version; answers how many this call rewrapped. */
    public int rewrapAll() {
        String protector = sealer.protector().kind();
        String current = sealer.protector().currentVersion();
        int done = 0;
        while (true) {
            List<Wallet> batch = wallets.wrappedUnderOtherVersions(protector, current, BATCH);
            if (batch.isEmpty()) {
                break;
            }
            for (Wallet wallet : batch) {
                SealedKey after = sealer.rewrap(wallet.sealedKey());
                if (wallets.rewrapped(wallet.address(), wallet.sealedKey(), after)) {
                    done++;
                }
            }
        }
        log.info("Rewrapped {} wallet data keys under {}", done, current);
        return done;
    }
}
