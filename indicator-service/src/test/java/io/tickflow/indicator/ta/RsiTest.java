package io.tickflow.indicator.ta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RsiTest {
    private static final double NaN = Double.NaN;

    @Test
    void shouldSeedWithSimpleAveragesThenSmoothWhenPeriodChangesSeen() {
        // changes +1, -1 -> gain 0.5, loss 0.5 -> 50; change +2 -> gain (0.5*1+2)/2 = 1.25, loss 0.25 -> 83.33
        assertArrayEquals(new double[] {NaN, NaN, 50, 100 * (1.25 / 1.5)}, Ticks.feed(new Rsi(2), 1, 2, 1, 3), 1e-12);
    }

    @Test
    void shouldBeZeroWhenThePriceNeverMoves() {
        assertEquals(0.0, Ticks.feed(new Rsi(3), 7, 7, 7, 7, 7)[4]);
    }

    @Test
    void shouldBeHundredWhenThePriceOnlyRises() {
        assertEquals(100.0, Ticks.feed(new Rsi(3), 1, 2, 3, 4, 5)[4]);
    }
}
