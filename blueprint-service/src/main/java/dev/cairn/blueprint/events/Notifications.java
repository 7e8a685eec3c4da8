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
import com.mongodb.client.model.Sorts;
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
 * replicas appending to one stream at the same moment take different numbers. Each event also
 * has a unique {@code key} naming what it reports (this step's confirmation, that action
 * becoming available), so an event appended twice (two replicas applying the same sealed step)
 * is stored once. Stored events go to every replica over Redis ({@value #CHANNEL}); a replica
 * that missed some reads them back by number.
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
    /** The last number this replica saw per stream: a guess, corrected by the key when another replica moved on. */
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
        events.createIndex(Indexes.ascending("stream", "seq"));
    }

    /** Appends the events, each stream's in the order given; events appended before (by key) are skipped. */
    public void append(List<Event> batch) {
        Map<String, List<Event>> byStream = new LinkedHashMap<>();
        batch.forEach(e -> byStream.computeIfAbsent(e.stream(), s -> new ArrayList<>()).add(e));
        byStream.forEach(this::append);
    }

    private void append(String stream, List<Event> todo) {
        Set<String> stored = new HashSet<>();
        events.find(Filters.in("key", todo.stream().map(Event::key).toList())).projection(Projections.include("key"))
                .forEach(d -> stored.add(d.getString("key")));
        List<Event> remaining = new ArrayList<>(todo.stream().filter(e -> !stored.contains(e.key())).toList());
        long head = cachedHead(stream);
        for (int attempt = 0; !remaining.isEmpty(); attempt++) {
            if (attempt > 50) {
                throw new IllegalStateException("stream " + stream + " keeps moving; events not appended");
            }
            List<Document> documents = new ArrayList<>();
            List<ObjectNode> bodies = new ArrayList<>();
            for (int i = 0; i < remaining.size(); i++) {
                long seq = head + 1 + i;
                ObjectNode body = remaining.get(i).body().deepCopy().put("seq", seq);
                bodies.add(body);
                documents.add(new Document("_id", id(stream, seq)).append("stream", stream).append("seq", seq)
                        .append("key", remaining.get(i).key()).append("event", json.writeValueAsString(body)).append("at", Date.from(clock.instant())));
            }
            int inserted;
            try {
                events.insertMany(documents, new InsertManyOptions().ordered(true));
                inserted = documents.size();
            } catch (MongoBulkWriteException e) {
                if (e.getWriteErrors().isEmpty() || ErrorCategory.fromErrorCode(e.getWriteErrors().get(0).getCode()) != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
                inserted = e.getWriteErrors().get(0).getIndex();
            }
            publish(stream, bodies.subList(0, inserted));
            head += inserted;
            remaining = new ArrayList<>(remaining.subList(inserted, remaining.size()));
            if (!remaining.isEmpty()) {
                String key = remaining.get(0).key();
                if (events.find(Filters.eq("key", key)).first() != null) {
                    remaining.remove(0); // another replica stored this one meanwhile
                } else {
                    head = storedHead(stream); // another replica took the number
                }
            }
        }
        synchronized (heads) {
            heads.merge(stream, head, Math::max);
        }
    }

    /** Up to {@code limit} events of the stream after {@code afterSeq}, in order. */
    public ArrayNode after(String stream, long afterSeq, int limit) {
        ArrayNode found = json.createArrayNode();
        events.find(Filters.and(Filters.eq("stream", stream), Filters.gt("seq", afterSeq))).sort(Sorts.ascending("seq")).limit(limit)
                .forEach(d -> found.add(json.readTree(d.getString("event"))));
        return found;
    }

    public long headSeq(String stream) {
        return storedHead(stream);
    }

    private long cachedHead(String stream) {
        synchronized (heads) {
            Long known = heads.get(stream);
            if (known != null) {
                return known;
            }
        }
        return storedHead(stream);
    }

    private long storedHead(String stream) {
        Document latest = events.find(Filters.eq("stream", stream)).sort(Sorts.descending("seq")).limit(1).first();
        return latest == null ? 0 : latest.get("seq", Number.class).longValue();
    }

    private void publish(String stream, List<ObjectNode> bodies) {
        if (bodies.isEmpty()) {
            return;
        }
        try {
            ObjectNode message = json.createObjectNode().put("stream", stream);
            ArrayNode list = message.putArray("events");
            bodies.forEach(list::add);
            redis.convertAndSend(CHANNEL, json.writeValueAsString(message));
        } catch (RuntimeException e) {
            log.warn("Events of {} not published ({}); subscribers catch up by sequence number", stream, e.getMessage());
        }
    }

    private static String id(String stream, long seq) {
        return stream + "#" + String.format("%012d", seq);
    }
}
