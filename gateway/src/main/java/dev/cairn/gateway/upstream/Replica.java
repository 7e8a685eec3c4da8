package dev.cairn.gateway.upstream;

import java.net.URI;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One replica of a service and what the gateway currently believes about it. A replica starts
 * {@link State#UNKNOWN} and receives traffic until a probe or a failed request says otherwise.
 */
public final class Replica {

    public enum State { UNKNOWN, UP, DOWN }

    private final String service;
    private final URI uri;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private volatile State state = State.UNKNOWN;
    private volatile String instanceId;
    private volatile String lastProblem;
    private volatile Instant since = Instant.now();
    /** Whether the replica is down only because its probes were too slow (it may be busy), not because it refused or said so. */
    private volatile boolean slowOnly;

    Replica(String service, URI uri) {
        this.service = service;
        this.uri = uri;
    }

    public String service() {
        return service;
    }

    public URI uri() {
        return uri;
    }

    public State state() {
        return state;
    }

    public boolean routable() {
        return state != State.DOWN;
    }

    /** Down, but only for probes that took too long: a replica that may still answer, if slowly. */
    public boolean downForSlowness() {
        return state == State.DOWN && slowOnly;
    }

    public String instanceId() {
        return instanceId;
    }

    public String lastProblem() {
        return lastProblem;
    }

    public Instant since() {
        return since;
    }

    /** @return true when this changed the replica's state */
    boolean probeSucceeded(String reportedInstanceId) {
        consecutiveFailures.set(0);
        if (reportedInstanceId != null) {
            instanceId = reportedInstanceId;
        }
        lastProblem = null;
        return transition(State.UP);
    }

    /** @return true when this changed the replica's state */
    boolean failed(String problem, boolean definitive, int threshold) {
        lastProblem = problem;
        int failures = consecutiveFailures.incrementAndGet();
        if (definitive) {
            slowOnly = false;
            return transition(State.DOWN);
        }
        if (failures >= threshold) {
            if (state != State.DOWN) {
                slowOnly = true;
            }
            return transition(State.DOWN);
        }
        return false;
    }

    private boolean transition(State next) {
        if (state == next) {
            return false;
        }
        state = next;
        since = Instant.now();
        return true;
    }

    @Override
    public String toString() {
        return service + "@" + uri + " (" + state + ")";
    }
}
