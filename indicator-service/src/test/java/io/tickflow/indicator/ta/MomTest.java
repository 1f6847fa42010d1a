package io.tickflow.indicator.ta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class MomTest {
    private static final double NaN = Double.NaN;

    @Test
    void shouldGiveThePriceDifferenceOverPeriodTicksWhenEnoughTicksSeen() {
        assertArrayEquals(new double[] {NaN, NaN, 3, 0, -2}, Ticks.feed(new Mom(2), 1, 2, 4, 2, 2), 0.0);
    }
}
