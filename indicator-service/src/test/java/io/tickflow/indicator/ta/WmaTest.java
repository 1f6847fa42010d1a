package io.tickflow.indicator.ta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WmaTest {
    private static final double NaN = Double.NaN;

    @Test
    void shouldWeightNewestPricesHeaviestWhenTheWindowIsFull() {
        // (1*1 + 2*2 + 3*3)/6, (2*1 + 3*2 + 4*3)/6, (3*1 + 4*2 + 0*3)/6
        assertArrayEquals(new double[] {NaN, NaN, 14.0 / 6, 20.0 / 6, 11.0 / 6},
                Ticks.feed(new Wma(3), 1, 2, 3, 4, 0), 1e-15);
    }

    @Test
    void shouldRejectPeriodWhenItsDividerWouldOverflow() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Wma(46_341)).getMessage()
                .contains("was 46341"));
    }
}
