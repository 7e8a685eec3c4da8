package dev.cairn.register.ledger;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.cairn.platform.auth.Caller;
import dev.cairn.platform.problem.ApiException;
import dev.cairn.register.config.RegisterProperties;
import dev.cairn.register.registry.Register;
import dev.cairn.register.registry.RegisterAccess;
import dev.cairn.platform.web.Page;

/** Dockets and transactions of one register: the write path for validators and the reads. */
@RestController
@RequestMapping("/api/registers/{id}")
class LedgerController {

    private final RegisterAccess access;
    private final DocketWriter writer;
    private final LedgerReader reader;
    private final LedgerViews views;
    private final RegisterProperties properties;

    LedgerController(RegisterAccess access, DocketWriter writer, LedgerReader reader, LedgerViews views, RegisterProperties properties) {
        this.access = access;
        this.writer = writer;
        this.reader = reader;
        this.views = views;
        this.properties = properties;
    }

    /**
     * {@code {docket, transactions[]}} from a service token with {@code register:write-docket}; the
     * same docket again answers the same. A replica's dockets are sealed on its home installation
     * only: 409 {@code register-is-replica}.
     */
    @PostMapping("/dockets")
    ResponseEntity<DocketWriter.Written> writeDocket(Caller caller, @PathVariable String id, @RequestBody JsonNode request) {
        Register register = access.writable(caller, id);
        if (register.isReplica()) {
            throw new ApiException(HttpStatus.CONFLICT, "register-is-replica", "Conflict", "Register " + id
                    + " is a read-only replica of node " + register.replica().homeNodeId() + "; its dockets are sealed on its home installation",
                    Map.of("homeNodeId", register.replica().homeNodeId()));
        }
        if (!request.isObject()) {
            throw ApiException.badRequest("invalid-docket", "The body is {docket, transactions[]}");
        }
        DocketWriter.Written written = writer.write(id, request);
        return ResponseEntity.status(HttpStatus.CREATED).body(written);
    }

    @GetMapping("/dockets/latest")
    LedgerViews.DocketView latest(Caller caller, @PathVariable String id) {
        access.readable(caller, id);
        return reader.latestDocket(id).map(d -> views.docket(id, d)).orElseThrow(() -> ApiException.notFound("docket"));
    }

    @GetMapping("/dockets/{height}")
    LedgerViews.DocketView docket(Caller caller, @PathVariable String id, @PathVariable String height) {
        access.readable(caller, id);
        long at = LedgerViews.height(height);
        return reader.docket(id, at).map(d -> views.docket(id, d)).orElseThrow(() -> ApiException.notFound("docket"));
    }

    @GetMapping("/dockets")
    LedgerViews.PageView<LedgerViews.DocketView> dockets(Caller caller, @PathVariable String id,
            @RequestParam(defaultValue = "0") String from, @RequestParam(defaultValue = "20") int limit) {
        access.readable(caller, id);
        long start = LedgerViews.height(from);
        int size = capped(limit);
        List<LedgerViews.DocketView> items = reader.dockets(id, start, size).stream().map(d -> views.docket(id, d)).toList();
        return new LedgerViews.PageView<>(items, 0, size, reader.sealedHeight(id) + 1, properties.maxPageSize(), limit > size);
    }

    @GetMapping("/transactions/{txId}")
    LedgerViews.TransactionView transaction(Caller caller, @PathVariable String id, @PathVariable String txId) {
        access.readable(caller, id);
        return reader.transaction(id, LedgerViews.txId(txId)).map(t -> views.transaction(id, t))
                .orElseThrow(() -> ApiException.notFound("transaction"));
    }

    @GetMapping("/transactions")
    LedgerViews.PageView<LedgerViews.TransactionView> transactions(Caller caller, @PathVariable String id,
            @RequestParam(required = false) String sender, @RequestParam(required = false) String recipient,
            @RequestParam(required = false) String blueprintId, @RequestParam(required = false) String instanceId,
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
        access.readable(caller, id);
        if (page < 0 || size < 1) {
            throw ApiException.badRequest("invalid-page", "page must be >= 0 and size >= 1");
        }
        int pageSize = capped(size);
        Map<String, String> criteria = new LinkedHashMap<>();
        criteria.put("sender", sender);
        criteria.put("recipients", recipient);
        criteria.put("blueprintId", blueprintId);
        criteria.put("instanceId", instanceId);
        Page<org.bson.Document> found = reader.transactions(id, criteria, page, pageSize);
        return new LedgerViews.PageView<>(found.items().stream().map(t -> views.transaction(id, t)).toList(), page, pageSize, found.total(),
                properties.maxPageSize(), size > pageSize);
    }

    private int capped(int requested) {
        if (requested < 1) {
            throw ApiException.badRequest("invalid-page", "the page size must be >= 1");
        }
        return Math.min(requested, properties.maxPageSize());
    }
}
