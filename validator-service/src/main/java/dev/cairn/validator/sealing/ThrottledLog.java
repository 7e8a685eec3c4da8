package dev.cairn.validator.sealing;

import java.time.Clock;
import java.time.Instant;

import org.slf4j.Logger;

/** A warning that repeats at most every ten seconds, for failures that retry in a loop. */
final class ThrottledLog {

    private final Logger log;
    private final Clock clock;
    private volatile Instant quietUntil = Instant.EPOCH;

    ThrottledLog(Logger log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    /** Logs {@code message} with the failure in place of its {@code {}}, unless a warning was logged in the last ten seconds. */
    void warn(String message, Exception failure) {
        Instant now = clock.instant();
        if (now.isAfter(quietUntil)) {
            log.warn(message, failure.toString());
            quietUntil = now.plusSeconds(10);
        }
    }
}
