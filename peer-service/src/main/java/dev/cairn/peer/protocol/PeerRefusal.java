package dev.cairn.peer.protocol;

import java.util.Map;

import org.springframework.http.HttpStatus;

import dev.cairn.platform.problem.ApiException;

/** A message from or to another installation refused, with the problem type that says why. */
public final class PeerRefusal {

    private PeerRefusal() {
    }

    public static ApiException unauthenticated(String type, String detail) {
        return new ApiException(HttpStatus.UNAUTHORIZED, type, "Peer message refused", detail);
    }

    public static ApiException forbidden(String type, String detail) {
        return new ApiException(HttpStatus.FORBIDDEN, type, "Peer refused", detail);
    }

    public static ApiException replayed(String detail) {
        return new ApiException(HttpStatus.CONFLICT, "replayed-message", "Peer message refused", detail);
    }

    public static ApiException badRequest(String type, String detail) {
        return ApiException.badRequest(type, detail);
    }

    public static ApiException tooMany(long retryAfterSeconds) {
        return new ApiException(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Too many requests",
                "Too many requests from this node; try again in " + retryAfterSeconds + " s", Map.of("retryAfter", retryAfterSeconds));
    }
}
