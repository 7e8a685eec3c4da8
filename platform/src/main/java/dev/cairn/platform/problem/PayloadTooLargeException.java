package dev.cairn.platform.problem;

import java.io.IOException;

/** Raised while reading a request body (of unknown length) that grows past the configured limit. */
public class PayloadTooLargeException extends IOException {

    private final long limit;

    public PayloadTooLargeException(long limit) {
        super("request body is larger than " + limit + " bytes");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
