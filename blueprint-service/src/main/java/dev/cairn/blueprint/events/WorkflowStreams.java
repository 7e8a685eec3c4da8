package dev.cairn.blueprint.events;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

import org.springframework.web.socket.WebSocketSession;

import dev.cairn.blueprint.clients.WalletDirectory;
import dev.cairn.blueprint.instances.InstanceAccess;
import dev.cairn.platform.auth.Caller;
import dev.cairn.ledger.crypto.LedgerAddress;
import dev.cairn.platform.events.CallerHandshake;
import dev.cairn.platform.events.EventStreamSocket;
import dev.cairn.platform.problem.ApiException;

/**
 * {@code /ws/blueprints}: a wallet's notifications ({@code {"wallet": "<address>"}}, for its
 * owner) and an instance's ({@code {"instanceId": "..."}}, for whoever may see the instance).
 */
final class WorkflowStreams implements EventStreamSocket.Streams {

    private final Notifications notifications;
    private final InstanceAccess access;
    private final WalletDirectory wallets;
    private final JsonMapper json;

    WorkflowStreams(Notifications notifications, InstanceAccess access, WalletDirectory wallets, JsonMapper json) {
        this.notifications = notifications;
        this.access = access;
        this.wallets = wallets;
        this.json = json;
    }

    @Override
    public EventStreamSocket.Stream named(JsonNode frame) {
        if (frame.hasNonNull("wallet")) {
            String address = frame.path("wallet").asString("");
            if (!LedgerAddress.isValid(address)) {
                throw ApiException.badRequest("invalid-address", "'" + address + "' is not a Cairn wallet address");
            }
            return new EventStreamSocket.Stream(Notifications.walletStream(address), json.createObjectNode().put("wallet", address));
        }
        if (frame.hasNonNull("instanceId")) {
            String instanceId = frame.path("instanceId").asString("");
            return new EventStreamSocket.Stream(Notifications.instanceStream(instanceId), json.createObjectNode().put("instanceId", instanceId));
        }
        throw ApiException.badRequest("invalid-stream", "A frame names a stream by wallet or by instanceId");
    }

    @Override
    public void authorize(WebSocketSession session, EventStreamSocket.Stream stream) {
        Caller caller = CallerHandshake.caller(session);
        String token = CallerHandshake.token(session);
        if (stream.label().has("wallet")) {
            if (!wallets.owns(caller, token, stream.label().path("wallet").asString())) {
                throw ApiException.notFound("wallet");
            }
        } else {
            access.viewer(caller, token, access.find(stream.label().path("instanceId").asString()));
        }
    }

    @Override
    public long headSeq(String key) {
        return notifications.headSeq(key);
    }

    @Override
    public ArrayNode after(String key, long afterSeq, int limit) {
        return notifications.after(key, afterSeq, limit);
    }
}
