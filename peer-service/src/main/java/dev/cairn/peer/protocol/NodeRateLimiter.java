package dev.cairn.peer.protocol;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import dev.cairn.peer.config.PeerProperties;

/**
 * Requests per node, per replica: a token bucket of {@code requests-per-second} per NodeId, so
 * that one installation cannot crowd out the others. (The gateway limits the peer route per
 * address as well, apart from user traffic.)
 */
@Component
public class NodeRateLimiter {

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }

    private final int perSecond;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public NodeRateLimiter(PeerProperties properties) {
        this.perSecond = properties.requestsPerSecond();
    }

    /** @throws dev.cairn.platform.problem.ApiException 429 when the node is over its rate */
    public void acquire(String nodeId) {
        long now = System.nanoTime();
        Bucket bucket = buckets.computeIfAbsent(nodeId, id -> new Bucket(perSecond, now));
        synchronized (bucket) {
            bucket.tokens = Math.min(perSecond, bucket.tokens + (now - bucket.at) / 1e9 * perSecond);
            bucket.at = now;
            if (bucket.tokens < 1) {
                throw PeerRefusal.tooMany(1);
            }
            bucket.tokens -= 1;
        }
    }
}
