package dev.cairn.gateway.edge;

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import io.netty.handler.timeout.ReadTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.PrematureCloseException;

import dev.cairn.platform.problem.ProblemJson;

import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

/**
 * Every error the gateway itself produces is answered as problem+json: unknown routes (404),
 * services without a ready replica (503), replicas that fail mid-request (502) or too slowly
 * (504), oversized bodies (413). Nothing from an exception message reaches the client except
 * the reasons the gateway wrote itself.
 */
@Order(-2)
public class ProblemErrorWebExceptionHandler implements ErrorWebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorWebExceptionHandler.class);

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(error);
        }
        String body = render(exchange, error);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        response.getHeaders().remove("Content-Length");
        DataBuffer buffer = response.bufferFactory().wrap(body.getBytes(StandardCharsets.UTF_8));
        return response.writeWith(Mono.just(buffer));
    }

    private String render(ServerWebExchange exchange, Throwable error) {
        ServerHttpResponse response = exchange.getResponse();
        String path = exchange.getRequest().getPath().value();
        if (error instanceof ResponseStatusException status) {
            HttpStatus code = HttpStatus.resolve(status.getStatusCode().value());
            code = code == null ? HttpStatus.INTERNAL_SERVER_ERROR : code;
            response.setStatusCode(code);
            String detail = status.getReason();
            if (code == HttpStatus.NOT_FOUND && (detail == null || detail.startsWith("No static resource"))) {
                detail = "No route for " + exchange.getRequest().getMethod() + " " + path;
            }
            return ProblemJson.render(code, null, code.getReasonPhrase(), detail, Map.of("instance", path));
        }
        if (has(error, DataBufferLimitException.class)) {
            response.setStatusCode(HttpStatus.CONTENT_TOO_LARGE);
            return ProblemJson.render(HttpStatus.CONTENT_TOO_LARGE, "The request is larger than the gateway accepts");
        }
        if (has(error, ConnectException.class)) {
            response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
            return ProblemJson.render(HttpStatus.SERVICE_UNAVAILABLE, "The service is not reachable; try again shortly");
        }
        if (has(error, TimeoutException.class) || has(error, ReadTimeoutException.class)) {
            response.setStatusCode(HttpStatus.GATEWAY_TIMEOUT);
            return ProblemJson.render(HttpStatus.GATEWAY_TIMEOUT, "The service did not answer in time");
        }
        if (has(error, PrematureCloseException.class) || has(error, java.io.IOException.class)) {
            response.setStatusCode(HttpStatus.BAD_GATEWAY);
            return ProblemJson.render(HttpStatus.BAD_GATEWAY, "The service closed the connection before answering");
        }
        String errorId = UUID.randomUUID().toString();
        log.error("Unexpected gateway error {} on {} {}", errorId, exchange.getRequest().getMethod(), path, error);
        response.setStatusCode(HttpStatus.INTERNAL_SERVER_ERROR);
        return ProblemJson.render(HttpStatus.INTERNAL_SERVER_ERROR, null, "Internal Server Error",
                "An unexpected error occurred; quote error id " + errorId + " when reporting it", Map.of("errorId", errorId));
    }

    private static boolean has(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
