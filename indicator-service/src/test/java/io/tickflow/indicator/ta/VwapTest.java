package io.tickflow.indicator.ta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
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
    void shouldMatchAFreshSumOfTheWindowWhenFedALongSeriesWithSilentStretches() {
        final Random random = new Random(42);
        for (final int period : new int[] {1, 5, 20, 390}) {
            final int n = 20_000;
            final double[] price = new double[n];
            final double[] volume = new double[n];
            double p = 100;
            for (int i = 0; i < n; i++) {
                p *= Math.exp(0.002 * random.nextGaussian());
                price[i] = p;
                final boolean silent = (i / 500) % 4 == 3; // every fourth stretch of 500 ticks trades nothing
                volume[i] = silent ? 0 : random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(100_000);
            }
            final Vwap vwap = new Vwap(period);
            for (int i = 0; i < n; i++) {
                vwap.update(price[i], volume[i]);
                double pv = 0;
                double v = 0;
                for (int j = Math.max(0, i - period + 1); j <= i; j++) {
                    pv += price[j] * volume[j];
                    v += volume[j];
                }
                final double want = i < period - 1 || v == 0 ? Double.NaN : pv / v;
                if (Double.isNaN(want)) {
                    assertTrue(Double.isNaN(vwap.value()), "period " + period + " tick " + i);
                } else {
                    assertEquals(want, vwap.value(), 1e-9 * want, "period " + period + " tick " + i);
                }
            }
        }
    }

    @Test
    void shouldRejectPeriodWhenBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> new Vwap(0));
    }
}
