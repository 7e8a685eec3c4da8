package dev.cairn.wallet.api;

import dev.cairn.platform.auth.Access;
import dev.cairn.platform.auth.Caller;
import dev.cairn.wallet.keys.KeyRewrap;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Key rotation for SystemAdmins: where the wallets' data keys stand, and moving them all under
 * the current key-encryption key version ({@link KeyRewrap}).
 */
@RestController
@RequestMapping({"/api/wallets/keys", "/api/v1/wallets/keys"})
class KeyRewrapController {

    record Rewrapped(int rewrapped, KeyRewrap.Status status) {
    }

    private final KeyRewrap keys;

    KeyRewrapController(KeyRewrap keys) {
        this.keys = keys;
    }

    @GetMapping("/status")
    KeyRewrap.Status status(Caller caller) {
        Access.requireSystemAdmin(caller);
        return keys.status();
    }

    @PostMapping("/rewrap")
    Rewrapped rewrap(Caller caller) {
        Access.requireSystemAdmin(caller);
        int done = keys.rewrapAll();
        return new Rewrapped(done, keys.status());
    }
}
