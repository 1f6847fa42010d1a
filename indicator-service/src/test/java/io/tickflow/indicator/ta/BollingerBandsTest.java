package io.tickflow.indicator.ta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BollingerBandsTest {

    @Test
    void shouldPlaceBandsAtPopulationSigmaTimesDeviationWhenTheWindowIsFull() {
        final BollingerBands bands = new BollingerBands(3, 1.0, 3.0);
        bands.update(1);
        bands.update(2);
        assertTrue(Double.isNaN(bands.middle()));
        bands.update(3);
        final double sigma = Math.sqrt(2.0 / 3.0); // population: ((1-2)² + 0 + (3-2)²) / 3
        assertEquals(2.0, bands.middle(), 1e-15);
        assertEquals(2.0 + sigma, bands.upper(), 1e-15);
        assertEquals(2.0 - 3 * sigma, bands.lower(), 1e-15);
    }

    @Test
    void shouldCollapseToTheMiddleWhenVarianceIsBelowTaLibsFloor() {
        final BollingerBands bands = new BollingerBands(2, 2.0, 2.0);
        bands.update(100.0);
        bands.update(100.00001); // variance 2.5e-11 < 1e-8
        assertEquals(bands.middle(), bands.upper());
        assertEquals(bands.middle(), bands.lower());
    }

    @Test
    void shouldRejectDeviationWhenNotPositive() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new BollingerBands(20, 2, -1)).getMessage()
                .contains("was -1.0"));
    }
}
