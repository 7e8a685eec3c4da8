package dev.cairn.register.events;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.PatternTopic;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

import dev.cairn.platform.auth.WebSocketBearer;
import dev.cairn.platform.events.CallerHandshake;
import dev.cairn.platform.events.EventStreamSocket;
import dev.cairn.platform.redis.RedisSubscription;
import dev.cairn.register.config.RegisterProperties;
import dev.cairn.register.registry.RegisterAccess;

/**
 * The WebSocket endpoint and the Redis subscription that feeds it. The handshake passes the
 * bearer-token check like any request (the caller is kept with the session): the token comes in
 * the Authorization header or, from browsers, as a subprotocol ({@link WebSocketBearer}). Its
 * Origin must be one of {@code cairn.register.websocket.allowed-origins}.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
@org.springframework.scheduling.annotation.EnableScheduling
class EventsConfiguration implements WebSocketConfigurer {

    private final EventStreamSocket handler;
    private final RegisterProperties properties;

    EventsConfiguration(RegisterAccess access, RegisterEvents events, JsonMapper json, RegisterProperties properties, TaskScheduler scheduler) {
        this.handler = new EventStreamSocket(new RegisterStreams(access, events, json), json, scheduler);
        this.properties = properties;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        DefaultHandshakeHandler handshake = new DefaultHandshakeHandler();
        handshake.setSupportedProtocols(WebSocketBearer.PROTOCOL); // selected when a browser offers its token that way
        registry.addHandler(handler, "/ws/registers").setHandshakeHandler(handshake).addInterceptors(new CallerHandshake())
                .setAllowedOrigins(properties.websocket().allowedOrigins().toArray(String[]::new));
    }

    @Bean(destroyMethod = "stop")
    RedisSubscription registerEventSubscription(RedisConnectionFactory connections, JsonMapper json, TaskScheduler scheduler,
            DocketArrivals arrivals) {
        // one thread: each register's events reach its followers in the order they were published
        return RedisSubscription.create("register events", "register-events", 1, connections, scheduler,
                container -> container.addMessageListener((message, pattern) -> {
                    JsonNode body = json.readTree(message.getBody());
                    arrivals.sealed(body.path("registerId").asString());
                    handler.deliver(body.path("registerId").asString(), (ArrayNode) body.path("events"));
                }, new PatternTopic(RegisterEvents.CHANNEL_PREFIX + "*")));
    }
}
