package dev.cairn.validator.sealing;

import java.time.Clock;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

import dev.cairn.validator.mempool.Mempool;

/**
 * Rejecting a pending transaction: its status becomes {@code rejected} with the reason, and a
 * {@code TransactionRejected} event ({@code registerId, txId, reason, at}, and the workflow's
 * {@code instanceId} when the transaction has one) goes out on the Redis channel
 * {@code cairn:validator-events:<registerId>} (best effort; the status is the record).
 */
@Component
class Rejections {

    static final String CHANNEL_PREFIX = "cairn:validator-events:";

    private static final Logger log = LoggerFactory.getLogger(Rejections.class);

    private final Mempool mempool;
    private final StringRedisTemplate redis;
    private final JsonMapper json;
    private final Clock clock;
    private final Counter rejected;

    Rejections(Mempool mempool, StringRedisTemplate redis, JsonMapper json, Clock clock, MeterRegistry meters) {
        this.mempool = mempool;
        this.redis = redis;
        this.json = json;
        this.clock = clock;
        this.rejected = Counter.builder("cairn.validator.transactions.rejected").register(meters);
    }

    void reject(Mempool.Entry entry, String reason) {
        if (!mempool.reject(entry, reason, clock.instant())) {
            return;
        }
        rejected.increment();
        log.info("Rejected transaction {} of register {}: {}", entry.txId(), entry.registerId(), reason);
        try {
            ObjectNode event = json.createObjectNode();
            event.put("type", "TransactionRejected").put("registerId", entry.registerId()).put("txId", entry.txId()).put("reason", reason)
                    .put("at", clock.instant().toString());
            if (entry.raw() != null) {
                String instanceId = json.readTree(entry.raw()).path("instanceId").asString(null);
                if (instanceId != null) {
                    event.put("instanceId", instanceId); // so that the blueprint service finds the step without a search
                }
            }
            redis.convertAndSend(CHANNEL_PREFIX + entry.registerId(), json.writeValueAsString(event));
        } catch (RuntimeException e) {
            log.warn("Could not publish the rejection of {}: {}", entry.txId(), e.getMessage());
        }
    }
}
