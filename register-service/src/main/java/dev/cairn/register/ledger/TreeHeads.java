package dev.cairn.register.ledger;

import java.util.Optional;

import org.bson.Document;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import dev.cairn.ledger.CanonicalJson;
import dev.cairn.ledger.SealingKeys;
import dev.cairn.ledger.TreeHead;
import dev.cairn.platform.problem.ApiException;
import dev.cairn.register.registry.Registry;

/**
 * Signed tree heads ({@link TreeHead}): a validator signs one after sealing a docket and hands
 * it to the register, which checks it against the dockets it stores (size, root, latest docket,
 * a signer in force) and keeps the largest. Readers get the kept one.
 */
@Component
public class TreeHeads {

    private final LedgerStore store;
    private final DocketTrust trust;
    private final Registry registry;
    private final JsonMapper json;

    public TreeHeads(LedgerStore store, DocketTrust trust, Registry registry, JsonMapper json) {
        this.store = store;
        this.trust = trust;
        this.registry = registry;
        this.json = json;
    }

    /** Checks and keeps a signed head; answers the head kept afterwards (this one, or a larger one). */
    public JsonNode accept(String registerId, JsonNode head) {
        String problem = problem(registerId, head);
        if (problem != null) {
            throw invalid(problem);
        }
        registry.recordSignedHead(registerId, head.path("treeSize").longValue(), CanonicalJson.string(head));
        return current(registerId).orElse(head);
    }

    /** What is wrong with a signed head against the dockets stored (form, signature, size, root, latest docket, signer in force), or null. */
    public String problem(String registerId, JsonNode head) {
        String problem = TreeHead.problem(head, registerId);
        if (problem != null) {
            return problem;
        }
        long size = head.path("treeSize").longValue();
        LedgerStore.Ledger ledger = store.of(registerId);
        Document last = ledger.dockets().find(com.mongodb.client.model.Filters.eq("_id", size - 1)).first();
        if (last == null) {
            return "the register has fewer than " + size + " dockets";
        }
        DocketTrust.After after = trust.after(ledger, last);
        if (!after.rootHash().equals(head.path("rootHash").stringValue()) || !last.getString("hash").equals(head.path("latestHash").stringValue())) {
            return "rootHash and latestHash are not those of the register's first " + size + " dockets";
        }
        SealingKeys before = trust.keysBefore(ledger, size - 1);
        if (!before.signed(head) && !after.keys().signed(head)) {
            return "the tree head is not signed by a sealing key of the register";
        }
        return null;
    }

    public Optional<JsonNode> current(String registerId) {
        return registry.signedHead(registerId).map(json::readTree);
    }

    private static ApiException invalid(String detail) {
        return ApiException.badRequest("invalid-tree-head", detail);
    }
}
