package dev.cairn.register.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

import dev.cairn.register.ledger.LedgerStore;

/**
 * The events of a register: for each docket, in this order, {@code DocketSealed}, one
 * {@code TransactionConfirmed} per transaction (with its workflow's {@code blueprintId} and
 * {@code instanceId} when it has them), and {@code RegisterHeightUpdated}. Their
 * sequence numbers run from 1 across the register without gaps; each docket records the first
 * and last of its own when it is sealed, so the events are a function of the chain: they can
 * always be read again ({@link #after}), and Redis only carries them to the replicas quickly.
 */
@Component
public class RegisterEvents {

    public static final String CHANNEL_PREFIX = "cairn:register-events:";
    /** Events of one docket: sealed, one per transaction, height updated. */
    public static int count(int transactions) {
        return transactions + 2;
    }

    private static final Logger log = LoggerFactory.getLogger(RegisterEvents.class);

    private final LedgerStore store;
    private final StringRedisTemplate redis;
    private final JsonMapper json;
    private final DocketArrivals arrivals;

    public RegisterEvents(LedgerStore store, StringRedisTemplate redis, JsonMapper json, DocketArrivals arrivals) {
        this.store = store;
        this.redis = redis;
        this.json = json;
        this.arrivals = arrivals;
    }

    /** Tells every replica about a sealed docket. Best effort: a lost message is recovered by sequence number. */
    public void publish(String registerId, Document docket) {
        publish(registerId, docket, null);
    }

    /** The same, with the docket's transaction documents at hand (the writer has them), so that none is read back. */
    public void publish(String registerId, Document docket, List<Document> transactions) {
        arrivals.sealed(registerId);
        try {
            ObjectNode message = json.createObjectNode();
            message.put("registerId", registerId);
            message.set("events", events(registerId, List.of(docket), 0, Integer.MAX_VALUE, transactions));
            redis.convertAndSend(CHANNEL_PREFIX + registerId, json.writeValueAsString(message));
        } catch (RuntimeException e) {
            log.warn("Events of docket {} of register {} not published ({}); subscribers catch up by sequence number",
                    docket.get("_id"), registerId, e.getMessage());
        }
    }

    /** Up to {@code limit} events with a sequence number above {@code afterSeq}, in order. */
    public ArrayNode after(String registerId, long afterSeq, int limit) {
        List<Document> dockets = new ArrayList<>();
        int expected = 0;
        for (Document docket : store.of(registerId).dockets().find(Filters.gt("lastSeq", afterSeq)).sort(Sorts.ascending("_id"))) {
            dockets.add(docket);
            expected += count(docket.getList("transactionIds", String.class).size());
            if (expected >= limit) {
                break;
            }
        }
        return events(registerId, dockets, afterSeq, limit, null);
    }

    /** The sequence number of the register's latest event (0 before any). */
    public long headSeq(String registerId) {
        Document latest = store.of(registerId).latestDocket();
        return latest == null ? 0 : ((Number) latest.get("lastSeq")).longValue();
    }

    private ArrayNode events(String registerId, List<Document> dockets, long afterSeq, int limit, List<Document> known) {
        ArrayNode events = json.createArrayNode();
        for (Document docket : dockets) {
            long seq = ((Number) docket.get("firstSeq")).longValue();
            long height = ((Number) docket.get("_id")).longValue();
            List<String> ids = docket.getList("transactionIds", String.class);
            List<Document> found = known != null ? known : store.of(registerId).transactions().find(Filters.in("_id", ids)).into(new ArrayList<>());
            Map<String, Document> transactions = found.stream().collect(Collectors.toMap(d -> d.getString("_id"), Function.identity(), (a, b) -> a));
            add(events, afterSeq, limit, event(seq++, "DocketSealed", registerId, height).put("hash", docket.getString("hash"))
                    .put("transactionCount", ids.size()).put("timestamp", docket.getString("timestamp")));
            for (String txId : ids) {
                ObjectNode confirmed = event(seq++, "TransactionConfirmed", registerId, height).put("txId", txId);
                Document tx = transactions.get(txId);
                if (tx != null) {
                    confirmed.put("sender", tx.getString("sender"));
                    tx.getList("recipients", String.class).forEach(confirmed.putArray("recipients")::add);
                    if (tx.getString("blueprintId") != null) {
                        confirmed.put("blueprintId", tx.getString("blueprintId")).put("instanceId", tx.getString("instanceId"));
                    }
                }
                add(events, afterSeq, limit, confirmed);
            }
            add(events, afterSeq, limit, event(seq, "RegisterHeightUpdated", registerId, height).put("latestHash", docket.getString("hash")));
        }
        return events;
    }

    private ObjectNode event(long seq, String type, String registerId, long height) {
        return json.createObjectNode().put("seq", seq).put("type", type).put("registerId", registerId).put("height", height);
    }

    private static void add(ArrayNode events, long afterSeq, int limit, ObjectNode event) {
        if (event.path("seq").asLong() > afterSeq && events.size() < limit) {
            events.add(event);
        }
    }
}
