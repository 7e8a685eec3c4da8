package dev.cairn.validator.sealing;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.cairn.ledger.SealingKeys;
import dev.cairn.platform.auth.Access;
import dev.cairn.platform.auth.Caller;
import dev.cairn.platform.problem.ApiException;
import dev.cairn.validator.clients.RegisterClient;
import dev.cairn.validator.clients.SystemWallet;
import dev.cairn.validator.mempool.Submissions;
import dev.cairn.platform.web.Ids;

/**
 * The validators' sealing keys, for operators (SystemAdmin): list them (the answer is a key file
 * that {@code bin/cairn verify-export --keys} and {@code monitor --keys} accept), make a new
 * generation, and rotate a register onto the newest one with a key change sealed on the
 * register.
 */
@RestController
class SealingKeyController {

    record KeyView(int generation, String id, String algorithm, String publicKey, String address, Instant createdAt) {
        static KeyView of(SystemWallet.Wallet wallet) {
            return new KeyView(wallet.generation(), wallet.key().id(), wallet.key().algorithm(), wallet.key().publicKey(), wallet.address(),
                    wallet.createdAt());
        }
    }

    record KeysView(List<KeyView> sealingKeys) {
    }

    record RotationView(String registerId, String txId, String status, List<String> add, List<String> retire, String signedBy) {
    }

    private final SystemWallet wallet;
    private final RegisterClient registers;
    private final DocketBuilder builder;
    private final Submissions submissions;
    private final Clock clock;

    SealingKeyController(SystemWallet wallet, RegisterClient registers, DocketBuilder builder, Submissions submissions, Clock clock) {
        this.wallet = wallet;
        this.registers = registers;
        this.builder = builder;
        this.submissions = submissions;
        this.clock = clock;
    }

    @GetMapping({"/api/validator/sealing-keys", "/api/v1/validator/sealing-keys"})
    KeysView keys(Caller caller) {
        Access.requireSystemAdmin(caller);
        return new KeysView(wallet.listed().stream().map(KeyView::of).toList());
    }

    /** A new generation: the key new registers pin, and the one registers rotate onto. */
    @PostMapping({"/api/validator/sealing-keys", "/api/v1/validator/sealing-keys"})
    ResponseEntity<KeyView> create(Caller caller) {
        Access.requireSystemAdmin(caller);
        return ResponseEntity.status(HttpStatus.CREATED).body(KeyView.of(wallet.createGeneration()));
    }

    /**
     * Submits a key change to the register that adds the newest generation and retires every
     * other key, signed by the newest key of ours the register trusts. Once sealed, dockets are
     * signed with the new key, and the retired ones are refused from the next height on.
     */
    @PostMapping({"/api/validator/registers/{id}/sealing-keys/rotate", "/api/v1/validator/registers/{id}/sealing-keys/rotate"})
    ResponseEntity<RotationView> rotate(Caller caller, @PathVariable String id) {
        Access.requireSystemAdmin(caller);
        Ids.require(id, "register");
        registers.register(id).orElseThrow(() -> ApiException.notFound("register"));
        SealingKeys keys = registers.sealingKeys(id).orElseThrow(() -> ApiException.conflict("awaiting-genesis",
                "The register's genesis docket is not sealed yet"));
        SystemWallet.Wallet newest = wallet.newest();
        SystemWallet.Wallet signer = wallet.holderOf(keys).orElseThrow(() -> ApiException.conflict("no-sealing-key-held",
                "The register trusts none of this installation's sealing keys " + keys.ids()));
        List<SealingKeys.Key> add = keys.contains(newest.key()) ? List.of() : List.of(newest.key());
        List<String> retire = keys.ids().stream().filter(k -> !k.equals(newest.key().id())).toList();
        if (add.isEmpty() && retire.isEmpty()) {
            throw ApiException.conflict("already-rotated", "The register is sealed by the newest key only (" + newest.key().id()
                    + "); make a new generation first");
        }
        ObjectNode change = builder.keyChange(id, add, retire, clock.instant(), signer);
        Instant now = clock.instant();
        Caller validator = new Caller("validator", null, Caller.Type.SERVICE, Set.of(), Set.of(Submissions.SUBMIT_SCOPE), null, null, now,
                now.plusSeconds(60));
        Submissions.Status status = submissions.submit(validator, change).status();
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new RotationView(id, status.txId(), status.status(),
                add.stream().map(SealingKeys.Key::id).toList(), retire, signer.key().id()));
    }
}
