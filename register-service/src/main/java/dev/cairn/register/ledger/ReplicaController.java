package dev.cairn.register.ledger;

import java.time.Duration;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.util.RawValue;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.cairn.platform.auth.Caller;
import dev.cairn.platform.problem.ApiException;
import dev.cairn.register.events.DocketArrivals;
import dev.cairn.register.registry.RegisterAccess;

/**
 * Copying registers between installations: a register's chain read in order, records exactly as
 * signed (what the peer service of another installation fetches), and the write path of a
 * read-only replica (what the peer service here stores).
 */
@RestController
@RequestMapping("/api/registers/{id}")
class ReplicaController {

    /** A sealed docket and its transactions in the docket's order, each record as signed. */
    record ChainDocket(JsonNode docket, List<JsonNode> transactions) {
    }

    /** Dockets from a height on; {@code sealedHeight} is the register's latest (-1 before genesis). */
    record ChainView(String registerId, List<ChainDocket> dockets, long sealedHeight) {
    }

    /** A chain read stops adding dockets once its records would pass this many bytes of canonical JSON (but holds one). */
    static final long MAX_CHAIN_BYTES = 4L * 1024 * 1024;
    /** The longest a chain read waits for a docket above {@code from} ({@code waitMillis}): less than a caller's request timeout. */
    static final long MAX_WAIT_MILLIS = 5_000;

    private final RegisterAccess access;
    private final LedgerReader reader;
    private final ReplicaWriter writer;
    private final DocketArrivals arrivals;

    ReplicaController(RegisterAccess access, LedgerReader reader, ReplicaWriter writer, DocketArrivals arrivals) {
        this.access = access;
        this.reader = reader;
        this.writer = writer;
        this.arrivals = arrivals;
    }

    /**
     * Up to {@code limit} dockets from height {@code from} (at most {@link ReplicaWriter#MAX_DOCKETS}),
     * fewer when their records would pass {@link #MAX_CHAIN_BYTES}; none from beyond the latest.
     * With {@code waitMillis}, it first waits up to that long for a docket above {@code from}
     * (a follower's long poll: it asks from the docket it holds).
     */
    @GetMapping("/chain")
    ChainView chain(Caller caller, @PathVariable String id, @RequestParam(defaultValue = "0") String from,
            @RequestParam(defaultValue = "100") int limit, @RequestParam(defaultValue = "0") long waitMillis) {
        access.readable(caller, id);
        long start = LedgerViews.height(from);
        if (limit < 1) {
            throw ApiException.badRequest("invalid-limit", "limit must be >= 1");
        }
        if (waitMillis < 0 || waitMillis > MAX_WAIT_MILLIS) {
            throw ApiException.badRequest("invalid-wait", "waitMillis must be between 0 and " + MAX_WAIT_MILLIS);
        }
        if (waitMillis > 0) {
            awaitAbove(id, start, waitMillis);
        }
        long sealedHeight = reader.sealedHeight(id);
        List<ChainDocket> dockets = reader.chain(id, start, Math.min(limit, ReplicaWriter.MAX_DOCKETS), MAX_CHAIN_BYTES).stream()
                .map(sealed -> new ChainDocket(asSigned(sealed.docket()), sealed.transactions().stream().map(ReplicaController::asSigned).toList()))
                .toList();
        return new ChainView(id, dockets, Math.max(sealedHeight, dockets.isEmpty() ? -1 : start + dockets.size() - 1));
    }

    /** A follower's long poll: until a docket above {@code height} is sealed, or the time is up. */
    private void awaitAbove(String id, long height, long waitMillis) {
        try {
            arrivals.await(id, Duration.ofMillis(waitMillis), () -> reader.sealedHeight(id) > height);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // shutting down: answer with what there is
        }
    }

    /** A stored record written into the answer as it was signed: its canonical JSON, not parsed and written again. */
    private static JsonNode asSigned(org.bson.Document stored) {
        return JsonNodeFactory.instance.rawValueNode(new RawValue(stored.getString("raw")));
    }

    /** A batch of dockets copied from the replica's home ({@code register:write-replica}); see {@link ReplicaWriter}. */
    @PostMapping("/replica/dockets")
    ReplicaWriter.Written write(Caller caller, @PathVariable String id, @RequestBody JsonNode request) {
        return writer.write(access.replicaWritable(caller, id), request);
    }
}
