package io.tickflow.bench.harness;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunResultTest {

    private static RunResult run(final long latencyMicros, final double achieved, final boolean lagBounded,
                                 final long failures) {
        final Histogram latency = new Histogram(LatencyRecording.HIGHEST_MICROS, 3);
        for (int i = 0; i < 1_000; i++) {
            latency.recordValue(latencyMicros);
        }
        return new RunResult("test", 10_000, 60.0, latency, latency, latency, achieved, achieved, 10, 5, lagBounded,
                1_000.0, failures, 600_000, 30_000_000_000L, 2.0, 0.5, 1.0, 60_000.0);
    }

    @Test
    void shouldDivideThePathsCpuTimeByEveryMessageSent() {
        assertEquals(50.0, run(3_000, 9_600, true, 0).cpuMicrosPerMessage(), 1e-9);
    }

    @Test
    void shouldBeSustainableWhenEveryConditionHolds() {
        assertTrue(run(3_000, 9_600, true, 0).sustainable());
    }

    @Test
    void shouldNotBeSustainableWhenTailIsLateThoughLagIsBounded() {
        // The delivery hop has no consumer group to probe: a late tail is how it shows that it fell behind.
        assertFalse(run(2_500_000, 10_000, true, 0).sustainable());
    }

    @Test
    void shouldNotBeSustainableWhenProducerFellShortOrSendsFailedOrLagGrew() {
        assertFalse(run(3_000, 9_400, true, 0).sustainable());
        assertFalse(run(3_000, 10_000, true, 1).sustainable());
        assertFalse(run(3_000, 10_000, false, 0).sustainable());
    }
}
