package dev.cairn.wallet.api;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cairn.platform.auth.Access;
import dev.cairn.platform.auth.Caller;
import dev.cairn.keys.KeySealer;
import dev.cairn.keys.SealedKey;
import dev.cairn.wallet.store.Wallet;
import dev.cairn.wallet.store.WalletRepository;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * After the key-encryption key is rotated (a new Vault transit key version, or a new local key
 * with the old one kept in previous-keys), moves every wallet's data key to the current version.
 * Safe to run on several replicas at once: each update applies only if the wrapped key is still
 * the one that was read.
 */
@RestController
@RequestMapping("/api/v1/wallets/keys")
class KeyRewrapController {

    private static final Logger log = LoggerFactory.getLogger(KeyRewrapController.class);

    record Status(String protector, String currentVersion, long walletsOnCurrentVersion, long walletsOnOtherVersions) {
    }

    record Rewrapped(int rewrapped, Status status) {
    }

    private final WalletRepository wallets;
    private final KeySealer sealer;

    KeyRewrapController(WalletRepository wallets, KeySealer sealer) {
        this.wallets = wallets;
        this.sealer = sealer;
    }

    @GetMapping("/status")
    Status status(Caller caller) {
        Access.requireSystemAdmin(caller);
        return status();
    }

    @PostMapping("/rewrap")
    Rewrapped rewrap(Caller caller) {
        Access.requireSystemAdmin(caller);
        String protector = sealer.protector().kind();
        String current = sealer.protector().currentVersion();
        int done = 0;
        while (true) {
            List<Wallet> batch = wallets.wrappedUnderOtherVersions(protector, current, 200);
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
        return new Rewrapped(done, status());
    }

    private Status status() {
        String protector = sealer.protector().kind();
        String current = sealer.protector().currentVersion();
        long onCurrent = wallets.countByKeyVersion(protector, current);
        return new Status(protector, current, onCurrent, wallets.wrappedUnderOtherVersions(protector, current, 1_000_000).size());
    }
}
