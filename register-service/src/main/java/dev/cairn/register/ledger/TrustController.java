package dev.cairn.register.ledger;

import java.util.List;

import tools.jackson.databind.JsonNode;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.cairn.ledger.SealingKeys;
import dev.cairn.platform.auth.Caller;
import dev.cairn.platform.problem.ApiException;
import dev.cairn.register.registry.RegisterAccess;

/** What a register's readers need to trust it from outside: its signed tree head and its sealing keys. */
@RestController
@RequestMapping("/api/registers/{id}")
class TrustController {

    /** The keys that may seal the next docket, and every key change sealed so far. */
    record SealingKeysView(String registerId, long height, List<SealingKeys.Key> sealingKeys, List<ChangeView> changes) {
    }

    /** A key change sealed at {@code height}, in force from {@code effectiveFrom}. */
    record ChangeView(long height, long effectiveFrom, String txId, JsonNode transaction) {
    }

    private final RegisterAccess access;
    private final TreeHeads heads;
    private final LedgerReader reader;

    TrustController(RegisterAccess access, TreeHeads heads, LedgerReader reader) {
        this.access = access;
        this.heads = heads;
        this.reader = reader;
    }

    @GetMapping("/head")
    JsonNode head(Caller caller, @PathVariable String id) {
        access.readable(caller, id);
        return heads.current(id).orElseThrow(() -> ApiException.notFound("no-signed-head",
                "The register has no signed tree head yet (its genesis docket is not sealed)"));
    }

    /**
     * A head signed by a validator after sealing ({@code register:write-docket}), or for a replica
     * the home's head, handed on by the peer service ({@code register:write-replica}).
     */
    @PostMapping("/head")
    JsonNode signedHead(Caller caller, @PathVariable String id, @RequestBody JsonNode head) {
        access.headWritable(caller, id);
        return heads.accept(id, head);
    }

    @GetMapping("/sealing-keys")
    SealingKeysView sealingKeys(Caller caller, @PathVariable String id) {
        access.readable(caller, id);
        LedgerReader.KeysInForce keys = reader.sealingKeys(id)
                .orElseThrow(() -> ApiException.notFound("no-sealing-keys", "The register's genesis docket is not sealed yet"));
        List<ChangeView> changes = keys.changes().stream()
                .map(c -> new ChangeView(c.height(), c.height() + 1, c.transaction().path("txId").asString(), c.transaction())).toList();
        return new SealingKeysView(id, keys.height(), keys.keys().keys(), changes);
    }
}
