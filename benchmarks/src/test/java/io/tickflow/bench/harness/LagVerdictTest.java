package io.tickflow.bench.harness;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LagVerdictTest {

    @Test
    void shouldBeBoundedWhenLagSawToothsWithCommits() {
        // 100k/s with a 100 ms transaction interval: lag between 0 and ~10k, no trend.
        final long[] samples = {2_000, 9_000, 4_000, 10_000, 1_000, 8_000, 3_000, 9_500, 500, 7_000, 2_500, 9_000};
        assertTrue(LagVerdict.bounded(samples, 1.0, 100_000));
    }

    @Test
    void shouldNotBeBoundedWhenLagGrowsSteadilyButIsStillSmall() {
        // Falls behind by 5k/s (5% of 100k/s): still under one second's worth at the end, but climbing.
        final long[] samples = new long[12];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = 5_000L * i;
        }
        assertFalse(LagVerdict.bounded(samples, 1.0, 100_000));
    }

    @Test
    void shouldNotBeBoundedWhenEndLagExceedsOneSecondOfMessages() {
        final long[] samples = {150_000, 140_000, 150_000, 145_000, 150_000};
        assertFalse(LagVerdict.bounded(samples, 1.0, 100_000));
    }

    @Test
    void shouldNotBeBoundedWhenThereAreNoSamples() {
        assertFalse(LagVerdict.bounded(new long[0], 1.0, 10_000));
    }

    @Test
    void shouldComputeLeastSquaresSlopeWhenSamplesAreALine() {
        assertEquals(250.0, LagVerdict.slopePerSecond(new long[]{0, 500, 1_000, 1_500}, 2.0), 1e-9);
        assertEquals(0.0, LagVerdict.slopePerSecond(new long[]{7}, 1.0), 1e-9);
    }
}
