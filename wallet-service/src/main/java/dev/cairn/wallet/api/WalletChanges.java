package dev.cairn.wallet.api;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cairn.wallet.keys.UnlockedKeys;

import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Tells every replica that a wallet changed (renamed, deleted, recovered), so that none keeps
 * using a stale copy of it. Pub/sub may lose a message while a replica is disconnected; the
 * unlocked-key lifetime bounds how long a stale copy can then live.
 */
public class WalletChanges implements MessageListener {

    public static final String CHANNEL = "cairn:wallet:changed";

    private static final Logger log = LoggerFactory.getLogger(WalletChanges.class);

    private final StringRedisTemplate redis;
    private final UnlockedKeys unlocked;

    public WalletChanges(StringRedisTemplate redis, UnlockedKeys unlocked) {
        this.redis = redis;
        this.unlocked = unlocked;
    }

    public void changed(String address) {
        unlocked.evict(address);
        try {
            redis.convertAndSend(CHANNEL, address);
        } catch (RuntimeException e) {
            log.warn("Could not tell other replicas that wallet {} changed ({}); their copies expire on their own", address, e.getMessage());
        }
    }

    @Override
    public void onMessage(Message message, byte[] pattern) {
        unlocked.evict(new String(message.getBody(), java.nio.charset.StandardCharsets.UTF_8));
    }
}
