package dev.cairn.gateway.edge;

import io.netty.channel.Channel;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;

import org.springframework.http.server.reactive.AbstractServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

/**
 * The event loop that owns a request's connection, as a scheduler. Work that continues after a
 * reply from Redis would otherwise run on Lettuce's I/O thread, which all requests share: the
 * proxying of every request would queue behind that one thread.
 */
public final class EventLoops {

    private EventLoops() {
    }

    public static Scheduler of(ServerWebExchange exchange) {
        if (exchange.getRequest() instanceof AbstractServerHttpRequest request
                && request.getNativeRequest() instanceof Connection connection) {
            Channel channel = connection.channel();
            return Schedulers.fromExecutor(channel.eventLoop());
        }
        return Schedulers.parallel();
    }
}
