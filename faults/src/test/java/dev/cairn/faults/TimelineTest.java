package dev.cairn.faults;

import org.junit.jupiter.api.Test;

import dev.cairn.faults.Timeline.Kind;
import dev.cairn.faults.Timeline.Request;

import static org.assertj.core.api.Assertions.assertThat;

class TimelineTest {

    @Test
    void withoutFailuresThereIsNoWindowAndTheSuiteNeverStoppedServing() {
        Timeline timeline = new Timeline(0);
        timeline.add(new Request(100, Kind.SINGLE, true));
        timeline.add(new Request(900, Kind.SIGN, true));
        timeline.mark(500, "fault");

        assertThat(timeline.failed()).isZero();
        assertThat(timeline.errorWindowSeconds()).isZero();
        assertThat(timeline.secondsToServeAgain(500)).hasValue(0.0);
    }

    @Test
    void theErrorWindowRunsFromTheFirstFailureToTheLast() {
        Timeline timeline = new Timeline(0);
        timeline.add(new Request(4_000, Kind.SIGN, false));
        timeline.add(new Request(1_500, Kind.SINGLE, false));
        timeline.add(new Request(2_000, Kind.SINGLE, true));

        assertThat(timeline.failed()).isEqualTo(2);
        assertThat(timeline.errorWindowSeconds()).isEqualTo(2.5);
    }

    @Test
    void servingAgainIsTheEndOfTheLastSecondWithMoreThanATenthFailed() {
        Timeline timeline = new Timeline(0);
        // the fault at 1 s: the next three seconds mostly fail, whatever the kind
        for (long at = 1_000; at < 4_000; at += 100) {
            timeline.add(new Request(at, Kind.SINGLE, at % 300 == 0));
            timeline.add(new Request(at + 50, Kind.SIGN, false));
        }
        for (long at = 4_000; at < 8_000; at += 100) {
            timeline.add(new Request(at, Kind.SINGLE, true));
        }
        assertThat(timeline.secondsToServeAgain(1_000)).hasValue(3.0);
    }

    @Test
    void aFailureNowAndThenAmongManyAnswersIsNoOutage() {
        Timeline timeline = new Timeline(0);
        for (long at = 0; at < 5_000; at += 50) {
            timeline.add(new Request(at, Kind.READ, at != 2_500));
        }
        assertThat(timeline.secondsToServeAgain(0)).hasValue(0.0);
        Timeline worse = new Timeline(0);
        for (long at = 0; at < 5_000; at += 50) {
            worse.add(new Request(at, Kind.READ, at < 2_000 || at >= 2_500));
        }
        assertThat(worse.secondsToServeAgain(0)).as("half of the third second failed").hasValue(3.0);
    }

    @Test
    void failuresBeforeTheFaultDoNotCountTowardsServingAgain() {
        Timeline timeline = new Timeline(0);
        timeline.add(new Request(200, Kind.READ, false));
        timeline.add(new Request(300, Kind.READ, true));
        timeline.add(new Request(2_000, Kind.READ, true));

        assertThat(timeline.secondsToServeAgain(1_000)).hasValue(0.0);
    }

    @Test
    void aRunThatEndsInABadSecondNeverServedAgain() {
        Timeline timeline = new Timeline(0);
        timeline.add(new Request(1_000, Kind.WORKFLOW, true));
        timeline.add(new Request(2_000, Kind.WORKFLOW, false));
        timeline.add(new Request(2_100, Kind.SINGLE, true));

        assertThat(timeline.secondsToServeAgain(1_500)).isEmpty();
    }

    @Test
    void bucketsCountAnswersAndFailuresUpToTheLastMark() {
        Timeline timeline = new Timeline(0);
        timeline.add(new Request(0, Kind.SINGLE, true));
        timeline.add(new Request(499, Kind.SINGLE, false));
        timeline.add(new Request(500, Kind.SIGN, true));
        timeline.mark(1_600, "ready");

        int[][] buckets = timeline.buckets(500);
        assertThat(buckets).hasNumberOfRows(4);
        assertThat(buckets[0]).containsExactly(1, 1);
        assertThat(buckets[1]).containsExactly(1, 0);
        assertThat(buckets[3]).containsExactly(0, 0);
    }
}
