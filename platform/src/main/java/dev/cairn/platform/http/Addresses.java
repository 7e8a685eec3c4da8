package dev.cairn.platform.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The one way Cairn tries the several addresses of one endpoint (replicas, or a list an
 * operator gave): each in turn from a starting one, moving on to the next as the rule says,
 * until an answer is taken.
 */
public final class Addresses {

    /** When the next address is tried. */
    public enum MoveOn {
        /**
         * Only when the request was never sent (the connection was refused or not made in time):
         * for calls whose effect must not be repeated.
         */
        WHEN_NOT_SENT,
        /** After any failure or an answer other than 2xx: for reads and token grants, which may be repeated safely. */
        UNLESS_2XX
    }

    /** Every address failed; the message names each and why. */
    public static final class AllFailedException extends IOException {
        AllFailedException(String message, Throwable last) {
            super(message, last);
        }
    }

    private Addresses() {
    }

    /**
     * Sends the request {@code request} builds for each address, starting at {@code start}
     * (taken modulo the number of addresses), until the rule lets an answer stand; that answer.
     * A failure the rule does not move on from is thrown as it is.
     *
     * @throws AllFailedException when every address was tried and none answered as the rule wants
     */
    public static <T> HttpResponse<T> send(HttpClient http, List<URI> addresses, int start, MoveOn rule, Function<URI, HttpRequest> request,
            HttpResponse.BodyHandler<T> body) throws IOException, InterruptedException {
        if (addresses.isEmpty()) {
            throw new AllFailedException("no address to send to", null);
        }
        List<String> failures = new ArrayList<>();
        IOException last = null;
        for (int i = 0; i < addresses.size(); i++) {
            URI address = addresses.get(Math.floorMod(start + i, addresses.size()));
            try {
                HttpResponse<T> response = http.send(request.apply(address), body);
                if (rule == MoveOn.WHEN_NOT_SENT || response.statusCode() / 100 == 2) {
                    return response;
                }
                failures.add(address + " answered " + response.statusCode());
            } catch (ConnectException | HttpConnectTimeoutException e) {
                last = e;
                failures.add(address + " unreachable: " + e.getMessage());
            } catch (IOException e) {
                if (rule == MoveOn.WHEN_NOT_SENT) {
                    throw e;
                }
                last = e;
                failures.add(address + " failed: " + e.getMessage());
            }
        }
        throw new AllFailedException(String.join("; ", failures), last);
    }
}
