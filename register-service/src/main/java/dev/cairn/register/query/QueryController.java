package dev.cairn.register.query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bson.Document;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.cairn.platform.auth.Caller;
import dev.cairn.platform.problem.ApiException;
import dev.cairn.register.config.RegisterProperties;
import dev.cairn.register.ledger.LedgerReader;
import dev.cairn.register.ledger.LedgerViews;
import dev.cairn.register.registry.RegisterAccess;
import dev.cairn.register.registry.Registry;
import dev.cairn.ledger.ObjectIds;
import dev.cairn.ledger.crypto.LedgerAddress;

/** Reads across registers: a wallet's transactions in every register of the caller's organisation, and DID resolution. */
@RestController
class QueryController {

    private static final Pattern DID = Pattern.compile("did:cairn:register:([^/]+)/tx/(.+)");
    private static final int PER_REGISTER = 1_000;

    private final Registry registry;
    private final RegisterAccess access;
    private final LedgerReader reader;
    private final LedgerViews views;
    private final RegisterProperties properties;

    QueryController(Registry registry, RegisterAccess access, LedgerReader reader, LedgerViews views, RegisterProperties properties) {
        this.registry = registry;
        this.access = access;
        this.reader = reader;
        this.views = views;
        this.properties = properties;
    }

    /** Sealed transactions the wallet sent or received, newest first, in the caller's organisation's registers. */
    @GetMapping("/api/query/wallets/{address}/transactions")
    LedgerViews.PageView<LedgerViews.TransactionView> walletTransactions(Caller caller, @PathVariable String address,
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
        if (!LedgerAddress.isValid(address)) {
            throw ApiException.badRequest("invalid-address", "Not a Cairn wallet address (cairn1…, with a valid checksum)");
        }
        if (page < 0 || size < 1) {
            throw ApiException.badRequest("invalid-page", "page must be >= 0 and size >= 1");
        }
        int pageSize = Math.min(size, properties.maxPageSize());
        List<LedgerViews.TransactionView> all = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        if (caller.orgId() != null) {
            registry.ofOrganization(caller.orgId()).forEach(register -> {
                for (String field : List.of("sender", "recipients")) {
                    for (Document tx : reader.transactions(register.id(), Map.of(field, address), 0, PER_REGISTER).items()) {
                        if (seen.add(register.id() + "/" + tx.getString("_id"))) {
                            all.add(views.transaction(register.id(), tx));
                        }
                    }
                }
            });
        }
        all.sort(Comparator.comparing((LedgerViews.TransactionView v) -> v.transaction().path("timestamp").asString("")).reversed());
        int from = Math.min(all.size(), page * pageSize);
        return new LedgerViews.PageView<>(all.subList(from, Math.min(all.size(), from + pageSize)), page, pageSize, all.size(),
                properties.maxPageSize(), size > pageSize);
    }

    /** {@code did:cairn:register:{id}/tx/{txId}} to the sealed transaction it names. */
    @GetMapping("/api/registers/resolve")
    LedgerViews.TransactionView resolve(Caller caller, @RequestParam String did) {
        Matcher matcher = DID.matcher(did);
        if (!matcher.matches() || !ObjectIds.isValid(matcher.group(1))) {
            throw ApiException.badRequest("invalid-did", "Expected did:cairn:register:{registerId}/tx/{txId}");
        }
        String registerId = matcher.group(1);
        String txId = LedgerViews.txId(matcher.group(2));
        access.readable(caller, registerId);
        return reader.transaction(registerId, txId).map(t -> views.transaction(registerId, t))
                .orElseThrow(() -> ApiException.notFound("transaction"));
    }
}
