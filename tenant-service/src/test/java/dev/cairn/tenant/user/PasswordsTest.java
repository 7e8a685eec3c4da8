package dev.cairn.tenant.user;

import java.time.Duration;
import java.util.concurrent.Semaphore;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

import dev.cairn.platform.problem.ApiException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswordsTest {

    @Test
    void aHashThatFindsNoFreeSlotInTimeIsRefusedAsBusyAndOneThatDoesIsComputed() {
        Semaphore slots = new Semaphore(1);
        Passwords passwords = new Passwords(slots, Duration.ofMillis(100));
        String hash = passwords.hash("a password long enough");

        slots.acquireUninterruptibly(); // another sign-in holds the only slot
        assertThatThrownBy(() -> passwords.matches("a password long enough", hash)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            assertThat(e.getHeaders().getFirst("Retry-After")).isEqualTo("1");
        });
        assertThatThrownBy(passwords::burn).isInstanceOf(ApiException.class);
        slots.release();

        assertThat(passwords.matches("a password long enough", hash)).isTrue();
        assertThat(passwords.matches("another password entirely", hash)).isFalse();
        assertThat(slots.availablePermits()).as("every slot given back, also after a mismatch").isEqualTo(1);
    }

    @Test
    void startUpWorkWaitsForASlotInsteadOfFailing() throws Exception {
        Semaphore slots = new Semaphore(1);
        Passwords passwords = new Passwords(slots, Duration.ofMillis(100));
        String hash = passwords.hash("a password long enough");

        slots.acquireUninterruptibly(); // sign-ins of the other services hold every slot
        java.util.concurrent.CompletableFuture<Boolean> check = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> passwords.patiently().matches("a password long enough", hash));
        Thread.sleep(300); // three times as long as a sign-in would wait
        assertThat(check).as("still waiting, not refused").isNotDone();
        slots.release();
        assertThat(check.get(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(passwords.patiently().matches("another password entirely", passwords.patiently().hash("a password long enough"))).isFalse();
        assertThat(slots.availablePermits()).isEqualTo(1);
    }

    @Test
    void theHeapAndTheCoresBoundHowManyHashesRunAtOnce() {
        long mib = 1024L * 1024;
        assertThat(Passwords.concurrencyFor(256 * mib, 2)).as("a quarter of 256 MiB holds three").isEqualTo(3);
        assertThat(Passwords.concurrencyFor(4096 * mib, 2)).as("two per core").isEqualTo(4);
        assertThat(Passwords.concurrencyFor(32 * mib, 8)).as("always one").isEqualTo(1);
    }
}
