package io.tickflow.ingest;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
        assertEquals(1_000_000_000L, schedule.dueNanos(3));
        assertEquals(3_600_000_000_000L, schedule.dueNanos(3 * 3600));
    }

    @Test
    void shouldComputeAchievedRateFromElapsedTime() {
        final PacingSchedule schedule = new PacingSchedule(500L, 1_000);
        assertEquals(1_000.0, schedule.achievedRate(2_000, 500L + 2_000_000_000L), 1e-9);
        assertEquals(0.0, schedule.achievedRate(10, 500L));
    }

    @Test
    void shouldRejectRateWhenNotPositive() {
        assertThrows(IllegalArgumentException.class, () -> new PacingSchedule(0L, 0));
    }
}
