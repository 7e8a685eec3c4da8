package dev.cairn.blueprint.events;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.PatternTopic;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

import dev.cairn.blueprint.clients.WalletDirectory;
import dev.cairn.blueprint.config.BlueprintProperties;
import dev.cairn.blueprint.execution.StepProgress;
import dev.cairn.blueprint.instances.InstanceAccess;
import dev.cairn.platform.auth.WebSocketBearer;
import dev.cairn.platform.events.CallerHandshake;
import dev.cairn.platform.events.EventStreamSocket;
import dev.cairn.platform.redis.RedisSubscription;

/**
 * The notification WebSocket, and the Redis channels that feed this replica: its own
 * notifications (from any replica), the registers' sealed transactions, and the validators'
 * rejections. The handshake carries the access token like any request, or from browsers as a
 * subprotocol ({@link WebSocketBearer}); its Origin must be one of
 * {@code cairn.blueprint.websocket.allowed-origins}.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class EventsConfiguration implements WebSocketConfigurer {

    private static final Logger log = LoggerFactory.getLogger(EventsConfiguration.class);
    static final String REGISTER_EVENTS = "cairn:register-events:*";
    static final String VALIDATOR_EVENTS = "cairn:validator-events:*";

    private final EventStreamSocket socket;
    private final BlueprintProperties properties;

    EventsConfiguration(Notifications notifications, InstanceAccess access, WalletDirectory wallets, JsonMapper json,
            BlueprintProperties properties, TaskScheduler scheduler) {
        this.socket = new EventStreamSocket(new WorkflowStreams(notifications, access, wallets, json), json, scheduler);
        this.properties = properties;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        DefaultHandshakeHandler handshake = new DefaultHandshakeHandler();
        handshake.setSupportedProtocols(WebSocketBearer.PROTOCOL);
        registry.addHandler(socket, "/ws/blueprints").setHandshakeHandler(handshake).addInterceptors(new CallerHandshake())
                .setAllowedOrigins(properties.websocket().allowedOrigins().toArray(String[]::new));
    }

    @Bean(destroyMethod = "stop")
    RedisSubscription workflowEventSubscription(RedisConnectionFactory connections, JsonMapper json, StepProgress progress,
            TaskScheduler scheduler) {
        return RedisSubscription.create("workflow, register and validator events", "workflow-events", 4, connections, scheduler, container -> {
            container.addMessageListener((message, pattern) -> {
                for (JsonNode stream : json.readTree(message.getBody()).path("streams")) {
                    socket.deliver(stream.path("stream").asString(), (ArrayNode) stream.path("events"));
                }
            }, new ChannelTopic(Notifications.CHANNEL));
            container.addMessageListener((message, pattern) -> {
                for (JsonNode event : json.readTree(message.getBody()).path("events")) {
                    if ("TransactionConfirmed".equals(event.path("type").asString()) && event.hasNonNull("instanceId")) {
                        guarded(() -> progress.sealed(event.path("instanceId").asString(), event.path("txId").asString(),
                                event.path("height").asLong()));
                    }
                }
            }, new PatternTopic(REGISTER_EVENTS));
            container.addMessageListener((message, pattern) -> {
                JsonNode event = json.readTree(message.getBody());
                if ("TransactionRejected".equals(event.path("type").asString()) && event.hasNonNull("instanceId")) {
                    guarded(() -> progress.rejected(event.path("instanceId").asString(), event.path("txId").asString(),
                            event.path("reason").asString("")));
                }
            }, new PatternTopic(VALIDATOR_EVENTS));
        });
    }

    /** An event this replica cannot act on now is left to the sweep. */
    private static void guarded(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            log.warn("Event not applied now, the sweep will catch up: {}", e.getMessage());
        }
    }
}
