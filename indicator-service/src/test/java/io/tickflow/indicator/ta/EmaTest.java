package io.tickflow.indicator.ta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EmaTest {
    private static final double NaN = Double.NaN;

    @Test
    void shouldSeedWithTheSmaThenSmoothWhenPeriodInputsSeen() {
        // k = 2/(3+1) = 0.5; seed (2+4+6)/3 = 4; then (10-4)*0.5+4 = 7; (1-7)*0.5+7 = 4
        assertArrayEquals(new double[] {NaN, NaN, 4, 7, 4}, Ticks.feed(new Ema(3), 2, 4, 6, 10, 1), 0.0);
    }

    @Test
    void shouldRejectPeriodWhenBelowTwo() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Ema(0)).getMessage().contains("was 0"));
    }
}
