package dev.cairn.register.events;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DocketArrivalsTest {

    /** Waiters that would only check again after an hour: anything sooner is the docket waking them. */
    private final DocketArrivals arrivals = new DocketArrivals(Duration.ofHours(1));

    @Test
    void aWaiterWakesWhenADocketOfItsRegisterIsSealedAndNotForAnotherRegister() throws Exception {
        AtomicBoolean sealed = new AtomicBoolean();
        AtomicBoolean otherSealed = new AtomicBoolean();
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> await("r1", Duration.ofMinutes(5), sealed));
        CompletableFuture<Boolean> other = CompletableFuture.supplyAsync(() -> await("r2", Duration.ofMinutes(5), otherSealed));
        Thread.sleep(200); // both are waiting (were they not yet, they would find the condition true when they start)

        sealed.set(true);
        arrivals.sealed("r1");
        assertThat(waiting.get(30, TimeUnit.SECONDS)).isTrue();
        otherSealed.set(true);
        arrivals.sealed("r1");
        Thread.sleep(200);
        assertThat(other).as("woken by a docket of another register").isNotDone();
        arrivals.sealed("r2");
        assertThat(other.get(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aWaiterWhoseConditionNeverHoldsGivesUpWhenItsTimeIsUp() throws Exception {
        AtomicBoolean never = new AtomicBoolean();
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> await("r1", Duration.ofMillis(300), never));
        arrivals.sealed("r1"); // a docket that does not make it hold
        assertThat(waiting.get(30, TimeUnit.SECONDS)).isFalse();
        assertThat(await("r1", Duration.ZERO, new AtomicBoolean(true))).isTrue();
    }

    private boolean await(String registerId, Duration wait, AtomicBoolean condition) {
        try {
            return arrivals.await(registerId, wait, condition::get);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
