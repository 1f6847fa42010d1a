package io.tickflow.bench.harness;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MaxRateSearchTest {

    @Test
    void shouldMultiplyAndRoundToThousandsWhenSteppingUp() {
        assertEquals(25_000, MaxRateSearch.nextRate(20_000, 1.25, 1_000_000));
        assertEquals(31_000, MaxRateSearch.nextRate(25_000, 1.25, 1_000_000));
    }

    @Test
    void shouldStepAtLeastAThousandWhenFactorIsSmall() {
        assertEquals(3_000, MaxRateSearch.nextRate(2_000, 1.1, 1_000_000));
    }

    @Test
    void shouldStopAtTheCapWhenNextRateWouldPassIt() {
        assertEquals(100_000, MaxRateSearch.nextRate(90_000, 1.25, 100_000));
    }
}
