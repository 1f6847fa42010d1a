package io.tickflow.runtime;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PacingScheduleTest {

    @Test
    void shouldSpaceItemsEvenlyFromStartWhenRateIsFixed() {
        final PacingSchedule schedule = new PacingSchedule(1_000L, 20_000);
        assertEquals(1_000L, schedule.dueNanos(0));
        assertEquals(1_000L + 50_000L, schedule.dueNanos(1));
        assertEquals(1_000L + 1_000_000_000L, schedule.dueNanos(20_000));
    }

    @Test
    void shouldNotDriftWhenIntervalIsFractional() {
        final PacingSchedule schedule = new PacingSchedule(0L, 3); // 333,333,333.3 ns apart
        assertEquals(333_333_333L, schedule.dueNanos(1));
        assertEquals(666_666_667L, schedule.dueNanos(2), "to the nearest nanosecond");
        assertEquals(1_000_000_000L, schedule.dueNanos(3));
        assertEquals(3_600_000_000_000L, schedule.dueNanos(3 * 3600));
    }

    @Test
    void shouldKeepDueTimesMonotonicWhenRateIsHigh() {
        final PacingSchedule schedule = new PacingSchedule(0L, 1_300_000);
        long previous = -1;
        for (long i = 0; i < 2_600_000; i += 997) {
            final long due = schedule.dueNanos(i);
            assertTrue(due >= previous, "due(" + i + ")=" + due + " < " + previous);
            previous = due;
        }
        assertEquals(2_000_000_000L, schedule.dueNanos(2_600_000));
    }

    @Test
    void shouldPaceBelowOnePerSecondWhenRateIsFractional() {
        assertEquals(4_000_000_000L, new PacingSchedule(0L, 0.25).dueNanos(1));
    }

    @Test
    void shouldComputeAchievedRateFromElapsedTime() {
        final PacingSchedule schedule = new PacingSchedule(500L, 1_000);
        assertEquals(1_000.0, schedule.achievedRate(2_000, 500L + 2_000_000_000L), 1e-9);
        assertEquals(0.0, schedule.achievedRate(10, 500L));
    }

    @Test
    void shouldCountItemsForRateAndDurationWhenSecondsAreFractional() {
        assertEquals(15_000, PacingSchedule.countFor(10_000, 1.5));
        assertEquals(0, PacingSchedule.countFor(10_000, 0.0));
    }

    @Test
    void shouldRejectRateWhenNotPositive() {
        assertThrows(IllegalArgumentException.class, () -> new PacingSchedule(0L, 0));
        assertThrows(IllegalArgumentException.class, () -> new PacingSchedule(0L, Double.NaN));
    }
}
