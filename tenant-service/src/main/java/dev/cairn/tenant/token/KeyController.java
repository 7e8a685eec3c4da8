package dev.cairn.tenant.token;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.cairn.platform.auth.Access;
import dev.cairn.platform.auth.Caller;

import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class KeyController {

    record KeyView(String kid, Instant activeFrom, Instant retiredAt, Instant publishedUntil) {
        static KeyView of(SigningKeys.PublishedKey key) {
            return new KeyView(key.kid(), key.activeFrom(), key.retiredAt(), key.publishedUntil());
        }
    }

    private final SigningKeys keys;

    KeyController(SigningKeys keys) {
        this.keys = keys;
    }

    /** The public keys that verify Cairn access tokens. Cached briefly: rotation publishes keys early. */
    @GetMapping("/.well-known/jwks.json")
    ResponseEntity<Map<String, Object>> jwks() {
        return ResponseEntity.ok().cacheControl(CacheControl.maxAge(Duration.ofMinutes(1)).cachePublic()).body(keys.jwks());
    }

    @GetMapping("/api/tenants/signing-keys")
    List<KeyView> list(Caller caller) {
        Access.requireSystemAdmin(caller);
        return keys.published().stream().map(KeyView::of).toList();
    }

    /** Starts a rotation: a new key is published now and signs once the overlap period is over. */
    @PostMapping("/api/tenants/signing-keys/rotate")
    KeyView rotate(Caller caller) {
        Access.requireSystemAdmin(caller);
        return KeyView.of(keys.rotate());
    }
}
