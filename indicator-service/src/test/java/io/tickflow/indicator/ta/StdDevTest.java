package io.tickflow.indicator.ta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class StdDevTest {
    private static final double NaN = Double.NaN;

    @Test
    void shouldScalePopulationSigmaByNbDevWhenTheWindowIsFull() {
        // windows {2,4}: σ 1; {4,4}: 0; {4,8}: 2 (population σ), times 1.5
        assertArrayEquals(new double[] {NaN, 1.5, 0, 3}, Ticks.feed(new StdDev(2, 1.5), 2, 4, 4, 8), 1e-12);
    }
}
