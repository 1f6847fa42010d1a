package io.tickflow.indicator.ta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SmaTest {
    private static final double NaN = Double.NaN;

    @Test
    void shouldAverageTheLastPeriodPricesWhenTheWindowIsFull() {
        assertArrayEquals(new double[] {NaN, NaN, 2, 3, 4, 14.0 / 3}, Ticks.feed(new Sma(3), 1, 2, 3, 4, 5, 5), 1e-15);
    }

    @Test
    void shouldRejectPeriodWhenBelowTwo() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Sma(1)).getMessage().contains("was 1"));
    }
}
