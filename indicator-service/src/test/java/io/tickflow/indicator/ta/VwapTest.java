package io.tickflow.indicator.ta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class VwapTest {
    private static final double NaN = Double.NaN;

    @Test
    void shouldWeightPricesByVolumeOverTheLastPeriodTicksAndBeAbsentWhenWindowVolumeIsZero() {
        final Vwap vwap = new Vwap(2);
        final double[][] ticks = {{10, 100}, {20, 300}, {30, 0}, {40, 0}, {50, 0}, {60, 100}, {70, 300}};
        final double[] got = new double[ticks.length];
        for (int i = 0; i < ticks.length; i++) {
            vwap.update(ticks[i][0], ticks[i][1]);
            got[i] = vwap.value();
        }
        // (10*100 + 20*300)/400, (20*300 + 0)/300, no volume, no volume, 60, (60*100 + 70*300)/400
        assertArrayEquals(new double[] {NaN, 17.5, 20, NaN, NaN, 60, 67.5}, got, 1e-12);
    }

    @Test
    void shouldRejectPeriodWhenBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> new Vwap(0));
    }
}
