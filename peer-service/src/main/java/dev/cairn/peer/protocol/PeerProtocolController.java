package dev.cairn.peer.protocol;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.cairn.peer.clients.RegisterService;
import dev.cairn.peer.config.PeerProperties;
import dev.cairn.peer.identity.NodeIdentity;
import dev.cairn.peer.membership.Membership;
import dev.cairn.peer.membership.PeerDirectory;
import dev.cairn.peer.replication.Advertisements;
import dev.cairn.platform.problem.ApiException;

/**
 * What other installations call ({@code /peer/v1/**}, a route of its own at the gateway, with
 * limits apart from user traffic). Every request but {@code info} is a signed envelope from an
 * admitted node, and every answer is one from this node that names the request it answers.
 *
 * <ul>
 *   <li>{@code GET /peer/v1/info}: this node's self-description {@code {nodeId, url, version}}, to anyone.</li>
 *   <li>{@code POST /peer/v1/exchange}: {@code {url, peers[], registers[]}} both ways: the peers each side
 *       knows (at most 50) and the registers it advertises with their signed heads.</li>
 *   <li>{@code POST /peer/v1/dockets}: {@code {registerId, from, limit, waitSeconds}} →
 *       {@code {registerId, dockets: [{docket, transactions}], sealedHeight, head}}: at most {@code limit}
 *       dockets from height {@code from}, exactly as signed; when there is none after {@code from} yet, the
 *       answer waits up to {@code waitSeconds} (at most 30) for one.</li>
 * </ul>
 */
@RestController
@RequestMapping(value = "/peer/v1", produces = MediaType.APPLICATION_JSON_VALUE)
class PeerProtocolController {

    private static final Logger log = LoggerFactory.getLogger(PeerProtocolController.class);
    /** How long one chain read of a long poll waits in the register service (which allows 5 s). */
    private static final long CHAIN_WAIT_MILLIS = 5_000;

    private final Envelopes envelopes;
    private final PeerDirectory directory;
    private final NodeRateLimiter limiter;
    private final Advertisements advertisements;
    private final Membership membership;
    private final RegisterService registers;
    private final NodeIdentity self;
    private final PeerProperties properties;
    private final JsonMapper json;

    PeerProtocolController(Envelopes envelopes, PeerDirectory directory, NodeRateLimiter limiter, Advertisements advertisements,
            Membership membership, RegisterService registers, NodeIdentity self, PeerProperties properties, JsonMapper json) {
        this.envelopes = envelopes;
        this.directory = directory;
        this.limiter = limiter;
        this.advertisements = advertisements;
        this.membership = membership;
        this.registers = registers;
        this.self = self;
        this.properties = properties;
        this.json = json;
    }

    @GetMapping("/info")
    JsonNode info() {
        return envelopes.seal("info", Envelopes.ANYONE, null, selfDescription());
    }

    @PostMapping("/exchange")
    JsonNode exchange(@RequestBody(required = false) JsonNode request) {
        Envelopes.Opened opened = admitted(request, "exchange");
        JsonNode body = opened.body();
        List<JsonNode> theirs = new ArrayList<>();
        body.path("registers").values().forEach(theirs::add);
        // the address it claims is recorded, and believed when it answers there
        java.net.URI url = Membership.url(body.path("url").asString(null)).orElse(null);
        directory.heard(opened.from(), opened.publicKey(), url, null, theirs.size() > Membership.MAX_LISTED ? theirs.subList(0, Membership.MAX_LISTED) : theirs, false);
        Membership.learn(directory, body.path("peers"), self.nodeId());
        return envelopes.seal("exchange.answer", opened.from(), opened.nonce(), membership.exchangeBody(opened.from()));
    }

    @PostMapping("/dockets")
    ResponseEntity<byte[]> dockets(@RequestBody(required = false) JsonNode request) throws InterruptedException {
        Envelopes.Opened opened = admitted(request, "dockets");
        JsonNode body = opened.body();
        String registerId = body.path("registerId").asString("");
        long from = body.path("from").asLong(-1);
        int limit = body.path("limit").asInt(0);
        int wait = body.path("waitSeconds").asInt(0);
        if (!dev.cairn.ledger.ObjectIds.isValid(registerId) || from < 0 || limit < 1 || wait < 0 || wait > 30) {
            throw refused(opened, PeerRefusal.badRequest("invalid-batch-request",
                    "registerId must be a register id, from >= 0, limit >= 1 and waitSeconds 0 to 30"));
        }
        if (limit > PeerProperties.MAX_BATCH_DOCKETS) {
            throw refused(opened, PeerRefusal.badRequest("batch-too-large", "At most " + PeerProperties.MAX_BATCH_DOCKETS + " dockets per batch"));
        }
        limit = Math.min(limit, properties.batchDockets()); // this installation serves at most its own batch size
        if (!advertisements.isAdvertised(registerId)) {
            throw refused(opened, ApiException.notFound("register-not-advertised", "This installation does not offer register " + registerId));
        }
        long deadline = System.nanoTime() + wait * 1_000_000_000L;
        // a follower asks from the docket it holds (to compare it): the register service holds each read until one after it is
        // sealed, and answers at once when there is one already
        JsonNode chain;
        boolean waiting;
        do {
            long asked = Math.max(0, Math.min((deadline - System.nanoTime()) / 1_000_000, CHAIN_WAIT_MILLIS));
            long started = System.nanoTime();
            chain = registers.chain(registerId, from, limit, asked);
            waiting = chain.path("sealedHeight").asLong(-1) <= from && (deadline - System.nanoTime()) / 1_000_000 > 0;
            if (waiting && (System.nanoTime() - started) / 1_000_000 < asked / 2) {
                Thread.sleep(200); // a register service that did not wait (one of an older version, during an upgrade): poll it
            }
        } while (waiting);
        ObjectNode answer = json.createObjectNode().put("registerId", registerId);
        answer.set("dockets", chain.path("dockets").isArray() ? chain.path("dockets") : json.createArrayNode());
        answer.put("sealedHeight", chain.path("sealedHeight").asLong(-1));
        registers.head(registerId).ifPresent(head -> answer.set("head", head));
        // the largest answer there is (up to a few MB): written out once, as it is signed
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                .body(envelopes.sealWritten("dockets.answer", opened.from(), opened.nonce(), answer));
    }

    private ObjectNode selfDescription() {
        ObjectNode body = json.createObjectNode().put("nodeId", self.nodeId()).put("version", Envelopes.VERSION);
        if (properties.url() != null) {
            body.put("url", properties.url().toString());
        }
        return body;
    }

    /** The envelope opened, its sender admitted and within its rate; each refusal logged with its reason. */
    private Envelopes.Opened admitted(JsonNode request, String type) {
        Envelopes.Opened opened;
        try {
            opened = envelopes.openRequest(request, type);
        } catch (ApiException e) {
            log.warn("Refused a {} message from {}: {}", type, request == null ? "?" : request.path("from").asString("?"), e.getBody().getDetail());
            throw e;
        }
        try {
            directory.requireAdmitted(opened.from());
            limiter.acquire(opened.from());
        } catch (ApiException e) {
            throw refused(opened, e);
        }
        return opened;
    }

    private static ApiException refused(Envelopes.Opened opened, ApiException e) {
        log.warn("Refused a {} message from node {}: {}", opened.type(), opened.from(), e.getBody().getDetail());
        return e;
    }
}
