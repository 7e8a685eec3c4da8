package dev.cairn.register.export;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bson.Document;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import dev.cairn.platform.auth.Caller;
import dev.cairn.ledger.CanonicalJson;
import dev.cairn.register.ledger.LedgerReader;
import dev.cairn.register.ledger.TreeHeads;
import dev.cairn.register.registry.Register;
import dev.cairn.register.registry.RegisterAccess;

/**
 * {@code GET /api/registers/{id}/export}: the whole chain as JSON lines, streamed. The first
 * line describes the register ({@code "type":"register"}); then, for each height from 0, a
 * {@code "type":"docket"} line with the signed docket, followed by one
 * {@code "type":"transaction"} line per transaction, in the docket's order. Records are
 * exactly as signed; last, when the register has one, a {@code "type":"head"} line with the signed
 * tree head it served when the export began. {@code dev.cairn.ledger.verify.ExportVerifier} (bin/cairn verify-export) checks such a file offline.
 */
@RestController
class ExportController {

    static final MediaType JSON_LINES = MediaType.parseMediaType("application/x-ndjson");
    private static final int BATCH = 100;

    private final RegisterAccess access;
    private final LedgerReader reader;
    private final TreeHeads heads;
    private final JsonMapper json;

    ExportController(RegisterAccess access, LedgerReader reader, TreeHeads heads, JsonMapper json) {
        this.access = access;
        this.reader = reader;
        this.heads = heads;
        this.json = json;
    }

    @GetMapping("/api/registers/{id}/export")
    ResponseEntity<StreamingResponseBody> export(Caller caller, @PathVariable String id) {
        Register register = access.readable(caller, id);
        StreamingResponseBody body = out -> write(register, out);
        return ResponseEntity.ok().contentType(JSON_LINES)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"register-" + id + ".jsonl\"").body(body);
    }

    private void write(Register register, OutputStream out) throws java.io.IOException {
        ObjectNode header = json.createObjectNode().put("type", "register").put("registerId", register.id()).put("name", register.name())
                .put("organizationId", register.organizationId()).put("exportedAt", Instant.now().toString());
        line(out, header.toString());
        // the head kept now covers at most the dockets sealed now, all of which the export holds
        Optional<JsonNode> head = heads.current(register.id());
        long next = 0;
        while (true) {
            List<Document> dockets = reader.dockets(register.id(), next, BATCH);
            if (dockets.isEmpty()) {
                if (head.isPresent()) {
                    line(out, "{\"type\":\"head\",\"head\":" + CanonicalJson.string(head.get()) + "}");
                }
                return;
            }
            for (Document docket : dockets) {
                line(out, "{\"type\":\"docket\",\"docket\":" + docket.getString("raw") + "}");
                List<String> ids = docket.getList("transactionIds", String.class);
                Map<String, Document> transactions = reader.transactionsOf(register.id(), ids);
                for (String txId : ids) {
                    Document tx = transactions.get(txId);
                    // a missing transaction is left out: the verifier reports it at this height
                    if (tx != null) {
                        line(out, "{\"type\":\"transaction\",\"transaction\":" + tx.getString("raw") + "}");
                    }
                }
                next = ((Number) docket.get("_id")).longValue() + 1;
            }
            out.flush();
        }
    }

    private static void line(OutputStream out, String text) throws java.io.IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.write('\n');
    }
}
