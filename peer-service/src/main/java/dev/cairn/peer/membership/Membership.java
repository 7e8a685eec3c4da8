package dev.cairn.peer.membership;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.cairn.ledger.NodeIds;
import dev.cairn.peer.clients.PeerClient;
import dev.cairn.peer.config.PeerProperties;
import dev.cairn.peer.identity.NodeIdentity;
import dev.cairn.peer.protocol.NonceLedger;
import dev.cairn.peer.replication.Advertisements;
import dev.cairn.platform.lease.Leases;

/**
 * Keeps the installation's view of its peers: every {@code exchange-interval}, the replica that
 * holds the {@code membership} lease contacts each seed it has no NodeId for ({@code info}) and
 * exchanges with every known peer that is not banned ({@code exchange}): the peers each side
 * knows and the registers each advertises, with their signed heads. Any replica answers other
 * installations' exchanges from the same shared state, so N replicas do not multiply the traffic.
 */
@Component
public class Membership {

    static final String LEASE = "membership";
    /** Most peers, and most advertised registers, one exchange carries. */
    public static final int MAX_LISTED = 50;
    private static final Logger log = LoggerFactory.getLogger(Membership.class);

    private final PeerProperties properties;
    private final PeerDirectory directory;
    private final PeerClient client;
    private final Advertisements advertisements;
    private final NodeIdentity self;
    private final Leases leases;
    private final NonceLedger nonces;
    private final JsonMapper json;
    private final java.util.Map<URI, String> seedErrors = new java.util.concurrent.ConcurrentHashMap<>();

    public Membership(PeerProperties properties, PeerDirectory directory, PeerClient client, Advertisements advertisements, NodeIdentity self,
            Leases leases, NonceLedger nonces, JsonMapper json) {
        this.properties = properties;
        this.directory = directory;
        this.client = client;
        this.advertisements = advertisements;
        this.self = self;
        this.leases = leases;
        this.nonces = nonces;
        this.json = json;
    }

    @Scheduled(fixedDelayString = "${cairn.peer.exchange-interval:5s}", initialDelayString = "1s")
    void round() {
        try {
            if (leases.hold(LEASE).isEmpty()) {
                return;
            }
            contactSeeds();
            // what this node tells each peer, read once a round
            List<PeerDirectory.Peer> known = directory.all();
            List<JsonNode> advertised = advertisements.current();
            for (PeerDirectory.Peer peer : known) {
                // a round that waits on unreachable peers can outlast the lease: renewed (or given up) between exchanges
                if (leases.hold(LEASE).isEmpty()) {
                    return;
                }
                if (peer.state() != PeerDirectory.State.BANNED && peer.url() != null && directory.allowed(peer.nodeId())) {
                    exchangeWith(peer.nodeId(), peer.url(), peer.seed(), exchangeBody(peer.nodeId(), known, advertised));
                }
            }
            directory.forgetDead();
            nonces.purge();
        } catch (RuntimeException e) {
            log.warn("Membership round failed: {}", e.getMessage());
        }
    }

    private void contactSeeds() {
        List<PeerDirectory.Peer> known = directory.all();
        for (URI seed : properties.seeds()) {
            boolean mapped = known.stream().anyMatch(p -> seed.equals(p.url()));
            if (mapped) {
                continue;
            }
            try {
                PeerClient.Answer info = client.info(seed);
                String nodeId = info.opened().from();
                if (!directory.allowed(nodeId)) {
                    log.warn("Seed {} is node {}, which is not in cairn.peer.allow: not contacted", seed, nodeId);
                    continue;
                }
                directory.heard(nodeId, info.opened().publicKey(), seed, info.roundTrip(), null, true);
                seedErrors.remove(seed);
                log.info("Seed {} is node {}", seed, nodeId);
            } catch (PeerClient.PeerCallException e) {
                if (!e.getMessage().equals(seedErrors.put(seed, e.getMessage()))) {
                    log.warn("Seed {} not reached: {}", seed, e.getMessage()); // once per distinct error, not every round
                }
            }
        }
    }

    /** One exchange with a peer; true when it answered. */
    private boolean exchangeWith(String nodeId, URI url, boolean seed, ObjectNode body) {
        try {
            PeerClient.Answer answer = client.call(url, nodeId, "exchange", body, Duration.ofSeconds(5));
            List<JsonNode> registers = new ArrayList<>();
            answer.body().path("registers").values().forEach(registers::add);
            directory.heard(nodeId, answer.opened().publicKey(), url, answer.roundTrip(), registers, seed);
            learn(directory, answer.body().path("peers"), self.nodeId());
            return true;
        } catch (PeerClient.PeerCallException e) {
            directory.failed(nodeId, e.getMessage());
            log.debug("Exchange with {} failed: {}", nodeId, e.getMessage());
            return false;
        }
    }

    /** What this node answers a peer's exchange with. */
    public ObjectNode exchangeBody(String to) {
        return exchangeBody(to, directory.all(), advertisements.current());
    }

    /** What this node tells a peer in an exchange: its address, the peers it has verified (not the peer itself), its advertisements. */
    private ObjectNode exchangeBody(String to, List<PeerDirectory.Peer> known, List<JsonNode> advertised) {
        ObjectNode body = json.createObjectNode();
        if (properties.url() != null) {
            body.put("url", properties.url().toString());
        }
        ArrayNode peers = body.putArray("peers");
        for (PeerDirectory.Peer peer : known) {
            if (peers.size() >= MAX_LISTED) {
                break;
            }
            if (peer.verified() && !peer.nodeId().equals(to) && peer.url() != null && peer.state() != PeerDirectory.State.BANNED) {
                peers.addObject().put("nodeId", peer.nodeId()).put("publicKey", peer.publicKey()).put("url", peer.url().toString());
            }
        }
        ArrayNode registers = body.putArray("registers");
        advertised.forEach(registers::add);
        return body;
    }

    /** Records the peers named in a list as unverified (when allowed): they are believed once they answer themselves. */
    public static void learn(PeerDirectory directory, JsonNode peers, String selfId) {
        int count = 0;
        for (JsonNode peer : peers.values()) {
            if (count++ >= MAX_LISTED) {
                return;
            }
            String nodeId = peer.path("nodeId").asString("");
            if (NodeIds.isValid(nodeId) && !nodeId.equals(selfId) && directory.find(nodeId).isEmpty()) {
                url(peer.path("url").asString(null)).ifPresent(u -> directory.learnt(nodeId, peer.path("publicKey").asString(""), u));
            }
        }
    }

    /** An http(s) URL, or empty. */
    public static Optional<URI> url(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            URI uri = URI.create(text);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null ? Optional.of(uri)
                    : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
