package io.tickflow.indicator.ta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class RocTest {
    private static final double NaN = Double.NaN;

    @Test
    void shouldGivePercentChangeOverPeriodTicksWhenEnoughTicksSeen() {
        assertArrayEquals(new double[] {NaN, NaN, 300, 0, -50}, Ticks.feed(new Roc(2), 1, 2, 4, 2, 2), 1e-12);
    }

    @Test
    void shouldBeZeroWhenTheEarlierPriceIsZero() {
        assertArrayEquals(new double[] {NaN, 0.0}, Ticks.feed(new Roc(1), 0, 5), 0.0);
    }
}
