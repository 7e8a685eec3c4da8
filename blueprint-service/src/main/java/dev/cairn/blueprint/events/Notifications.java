package dev.cairn.blueprint.events;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Projections;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Workflow notifications: one stream per wallet ({@code wallet:<address>}) and one per instance
 * ({@code instance:<id>}), each numbered 1, 2, 3, ... without gaps. Events are kept in
 * {@code workflow_events}, keyed {@code <stream>#<seq>}: the key is the commit point, so two
 * replicas appending to one stream at the same moment take different numbers. Every read is by
 * key (the head is found by probing keys, a backfill reads a range of keys), which any MongoDB
 * answers from its primary index. Each event also has a unique {@code key} naming what it
 * reports (this step's confirmation, that action becoming available), so appending the same
 * events again after a crash stores each once. Stored events go to every replica over Redis
 * ({@value #CHANNEL}); a replica that missed some reads them back by number.
 */
@Component
public class Notifications {

    public static final String CHANNEL = "cairn:workflow-events";
    private static final Logger log = LoggerFactory.getLogger(Notifications.class);
    private static final int KEPT_HEADS = 10_000;

    /** An event to append: the stream, what it reports (unique), and its body ({@code type} and fields). */
    public record Event(String stream, String key, ObjectNode body) {
    }

    public static String walletStream(String address) {
        return "wallet:" + address;
    }

    public static String instanceStream(String instanceId) {
        return "instance:" + instanceId;
    }

    private final MongoCollection<Document> events;
    private final StringRedisTemplate redis;
    private final JsonMapper json;
    private final Clock clock;
    /** The last number this replica stored or saw per stream: a starting point for probing. */
    private final Map<String, Long> heads = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > KEPT_HEADS;
        }
    };

    Notifications(org.springframework.data.mongodb.MongoDatabaseFactory databases, StringRedisTemplate redis, JsonMapper json, Clock clock) {
        this.events = databases.getMongoDatabase().getCollection("workflow_events");
        this.redis = redis;
        this.json = json;
        this.clock = clock;
        events.createIndex(Indexes.ascending("key"), new IndexOptions().unique(true));
    }

    /**
     * Appends the events, each stream's in the order given: in the common case one insert of them
     * all at the numbers after each stream's last known one, and one message to the replicas.
     *
     * @param again true when some of them may have been appended before (a crash in between):
     *              those are skipped
     */
    public void append(List<Event> batch, boolean again) {
        List<Event> todo = new ArrayList<>(batch);
        if (again && !todo.isEmpty()) {
            Set<String> stored = new HashSet<>();
            events.find(Filters.in("key", todo.stream().map(Event::key).toList())).projection(Projections.include("key"))
                    .forEach(d -> stored.add(d.getString("key")));
            todo.removeIf(e -> stored.contains(e.key()));
        }
        Map<String, List<Event>> byStream = new java.util.TreeMap<>(); // locks taken in one order: no deadlock
        todo.forEach(e -> byStream.computeIfAbsent(e.stream(), k -> new ArrayList<>()).add(e));
        if (byStream.isEmpty()) {
            return;
        }
        List<Object> held = new ArrayList<>();
        try {
            byStream.keySet().forEach(stream -> {
                Object lock = lock(stream);
                java.util.concurrent.locks.ReentrantLock reentrant = (java.util.concurrent.locks.ReentrantLock) lock;
                reentrant.lock();
                held.add(lock);
            });
            List<Document> documents = new ArrayList<>();
            List<String> streams = new ArrayList<>();
            List<ObjectNode> bodies = new ArrayList<>();
            for (Map.Entry<String, List<Event>> entry : byStream.entrySet()) {
                long head = knownHead(entry.getKey());
                for (Event e : entry.getValue()) {
                    ObjectNode body = e.body().deepCopy().put("seq", ++head);
                    documents.add(document(entry.getKey(), head, e.key(), body));
                    streams.add(entry.getKey());
                    bodies.add(body);
                }
            }
            int inserted = insertInOrder(documents);
            Map<String, List<ObjectNode>> published = new LinkedHashMap<>();
            for (int i = 0; i < inserted; i++) {
                published.computeIfAbsent(streams.get(i), k -> new ArrayList<>()).add(bodies.get(i));
                remember(streams.get(i), bodies.get(i).path("seq").asLong());
            }
            publish(published);
            if (inserted < documents.size()) {
                // another replica took a number first (or stored one of these): the rest one stream at a time
                Map<String, List<Event>> rest = new LinkedHashMap<>();
                int index = 0;
                for (Map.Entry<String, List<Event>> entry : byStream.entrySet()) {
                    for (Event e : entry.getValue()) {
                        if (index++ >= inserted) {
                            rest.computeIfAbsent(entry.getKey(), k -> new ArrayList<>()).add(e);
                        }
                    }
                }
                rest.forEach(this::appendOne);
            }
        } finally {
            held.forEach(lock -> ((java.util.concurrent.locks.ReentrantLock) lock).unlock());
        }
    }

    /** Appends one stream's events, probing for its head whenever another replica moved it on. */
    private void appendOne(String stream, List<Event> todo) {
        List<Event> remaining = new ArrayList<>(todo);
        long head = probe(stream, knownHead(stream));
        for (int attempt = 0; !remaining.isEmpty(); attempt++) {
            if (attempt > 100) {
                throw new IllegalStateException("stream " + stream + " keeps moving; events not appended");
            }
            List<Document> documents = new ArrayList<>();
            List<ObjectNode> bodies = new ArrayList<>();
            for (int i = 0; i < remaining.size(); i++) {
                long seq = head + 1 + i;
                ObjectNode body = remaining.get(i).body().deepCopy().put("seq", seq);
                bodies.add(body);
                documents.add(document(stream, seq, remaining.get(i).key(), body));
            }
            int inserted = insertInOrder(documents);
            publish(Map.of(stream, bodies.subList(0, inserted)));
            head += inserted;
            remaining = new ArrayList<>(remaining.subList(inserted, remaining.size()));
            if (!remaining.isEmpty()) {
                if (exists(stream, head + 1)) {
                    head = probe(stream, head + 1); // another replica took the number
                } else {
                    remaining.remove(0); // its key was stored before: appended already
                }
            }
        }
        remember(stream, head);
    }

    /** Inserts the documents in order, up to the first whose number or key is taken; answers how many went in. */
    private int insertInOrder(List<Document> documents) {
        try {
            events.insertMany(documents, new InsertManyOptions().ordered(true));
            return documents.size();
        } catch (MongoBulkWriteException e) {
            if (e.getWriteErrors().isEmpty() || ErrorCategory.fromErrorCode(e.getWriteErrors().get(0).getCode()) != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            return e.getWriteErrors().get(0).getIndex();
        }
    }

    private Document document(String stream, long seq, String key, ObjectNode body) {
        return new Document("_id", id(stream, seq)).append("key", key).append("event", json.writeValueAsString(body))
                .append("at", Date.from(clock.instant()));
    }

    /** The head this replica last saw for the stream, or the stored one when it has seen none. */
    private long knownHead(String stream) {
        synchronized (heads) {
            Long known = heads.get(stream);
            if (known != null) {
                return known;
            }
        }
        return probe(stream, 0);
    }

    /** Up to {@code limit} events of the stream after {@code afterSeq}, in order (read by key). */
    public ArrayNode after(String stream, long afterSeq, int limit) {
        ArrayNode found = json.createArrayNode();
        long from = afterSeq + 1;
        while (found.size() < limit) {
            int chunk = Math.min(200, limit - found.size());
            List<String> ids = new ArrayList<>(chunk);
            for (long seq = from; seq < from + chunk; seq++) {
                ids.add(id(stream, seq));
            }
            Map<String, String> byId = new java.util.HashMap<>();
            events.find(Filters.in("_id", ids)).forEach(d -> byId.put(d.getString("_id"), d.getString("event")));
            for (String id : ids) {
                String event = byId.get(id);
                if (event == null) {
                    return found; // the head
                }
                found.add(json.readTree(event));
            }
            from += chunk;
        }
        return found;
    }

    /** The stream's latest number (0 before any event). */
    public long headSeq(String stream) {
        Long known;
        synchronized (heads) {
            known = heads.get(stream);
        }
        long head = probe(stream, known == null ? 0 : known);
        remember(stream, head);
        return head;
    }

    /**
     * The head, found from a number known to exist (or 0): one key lookup when the guess is
     * right; otherwise steps that double, then halve between the last number found and the
     * first missing one.
     */
    private long probe(String stream, long known) {
        long found = known;
        long step = 1;
        while (exists(stream, found + step)) {
            found += step;
            step *= 2;
        }
        long missing = found + step; // found exists (or is 0), missing does not
        while (missing - found > 1) {
            long middle = found + (missing - found) / 2;
            if (exists(stream, middle)) {
                found = middle;
            } else {
                missing = middle;
            }
        }
        return found;
    }

    private boolean exists(String stream, long seq) {
        return events.find(Filters.eq("_id", id(stream, seq))).projection(Projections.include("_id")).first() != null;
    }

    private void remember(String stream, long head) {
        synchronized (heads) {
            heads.merge(stream, head, Math::max);
        }
    }

    private final Map<String, Object> locks = new java.util.concurrent.ConcurrentHashMap<>();

    /** One appender per stream in this replica at a time, so that its own appends never race each other. */
    private Object lock(String stream) {
        if (locks.size() > KEPT_HEADS) {
            locks.clear();
        }
        return locks.computeIfAbsent(stream, s -> new java.util.concurrent.locks.ReentrantLock());
    }

    /** One message to every replica: {@code {streams: [{stream, events}]}}. Best effort: a lost one is read back by number. */
    private void publish(Map<String, List<ObjectNode>> byStream) {
        if (byStream.values().stream().allMatch(List::isEmpty)) {
            return;
        }
        try {
            ObjectNode message = json.createObjectNode();
            ArrayNode streams = message.putArray("streams");
            byStream.forEach((stream, bodies) -> {
                if (!bodies.isEmpty()) {
                    ObjectNode entry = streams.addObject().put("stream", stream);
                    ArrayNode list = entry.putArray("events");
                    bodies.forEach(list::add);
                }
            });
            redis.convertAndSend(CHANNEL, json.writeValueAsString(message));
        } catch (RuntimeException e) {
            log.warn("Events of {} not published ({}); subscribers catch up by sequence number", byStream.keySet(), e.getMessage());
        }
    }

    private static String id(String stream, long seq) {
        return stream + "#" + String.format("%012d", seq);
    }
}
