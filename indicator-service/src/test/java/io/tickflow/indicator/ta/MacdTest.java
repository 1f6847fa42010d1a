package io.tickflow.indicator.ta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MacdTest {

    @Test
    void shouldStartBothEmasAtSlowMinusOneWhenComputingTheLine() {
        final Macd macd = new Macd(2, 3, 2);
        final double[] prices = {1, 2, 3, 5, 8};
        for (int i = 0; i < 3; i++) {
            macd.update(prices[i]);
            assertTrue(Double.isNaN(macd.macd()), "absent at tick " + i);
        }
        // tick 2: slow = (1+2+3)/3 = 2, fast = (2+3)/2 = 2.5 (not (1+2)/2), line 0.5
        // tick 3: slow = (5-2)*0.5+2 = 3.5, fast = (5-2.5)*(2/3)+2.5, signal = (0.5 + line)/2
        macd.update(prices[3]);
        final double line = (fast(2.5, 5)) - 3.5;
        assertEquals(line, macd.macd(), 1e-15);
        assertEquals((0.5 + line) / 2, macd.signal(), 1e-15);
        assertEquals(line - (0.5 + line) / 2, macd.hist(), 1e-15);
    }

    private static double fast(final double prev, final double price) {
        return ((price - prev) * (2.0 / 3.0)) + prev;
    }

    @Test
    void shouldRejectSlowPeriodWhenNotAboveFast() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Macd(26, 12, 9)).getMessage()
                .contains("was 12"));
    }
}
