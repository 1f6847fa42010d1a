package io.tickflow.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PacingScheduleTest {

    @Test
    void shouldSpaceMessagesEvenlyWhenRateDividesASecond() {
        final PacingSchedule schedule = new PacingSchedule(1_000L, 10_000, 50_000);
        assertEquals(1_000L, schedule.dueNanos(0));
        assertEquals(1_000L + 100_000L, schedule.dueNanos(1));
        assertEquals(1_000L + 1_000_000_000L, schedule.dueNanos(10_000));
        assertEquals(1_000L + 5_000_000_000L, schedule.endNanos());
    }

    @Test
    void shouldNotDriftWhenIntervalIsNotWholeNanos() {
        // 3 msg/s: 333,333,333.3 ns apart; message 3 must still be due exactly one second after the start.
        final PacingSchedule schedule = new PacingSchedule(0L, 3, 9);
        assertEquals(333_333_333L, schedule.dueNanos(1));
        assertEquals(666_666_666L, schedule.dueNanos(2));
        assertEquals(1_000_000_000L, schedule.dueNanos(3));
        assertEquals(3_000_000_000L, schedule.dueNanos(9));
    }

    @Test
    void shouldKeepDueTimesMonotonicWhenRateIsHigh() {
        final PacingSchedule schedule = new PacingSchedule(0L, 1_300_000, 2_600_000);
        long previous = -1;
        for (long i = 0; i < schedule.count(); i += 997) {
            final long due = schedule.dueNanos(i);
            assertEquals(true, due >= previous, "due(" + i + ")=" + due + " < " + previous);
            previous = due;
        }
        assertEquals(2_000_000_000L, schedule.endNanos());
    }

    @Test
    void shouldCountMessagesForRateAndDurationWhenSecondsAreFractional() {
        assertEquals(15_000, PacingSchedule.countFor(10_000, 1.5));
        assertEquals(0, PacingSchedule.countFor(10_000, 0.0));
    }

    @Test
    void shouldRejectRateWhenNotPositive() {
        assertThrows(IllegalArgumentException.class, () -> new PacingSchedule(0L, 0, 10));
    }
}
