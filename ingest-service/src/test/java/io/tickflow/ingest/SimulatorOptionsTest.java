package io.tickflow.ingest;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SimulatorOptionsTest {

    @Test
    void shouldTakeTheSmallerLimitWhenCountAndDurationAreBothGiven() {
        assertEquals(0, SimulatorOptions.of(200, 20_000, 42).limit());
        assertEquals(100, new SimulatorOptions(1, 20_000, 1, 100, null, null).limit());
        assertEquals(60_000, new SimulatorOptions(1, 20_000, 1, 0, Duration.ofSeconds(3), null).limit());
        assertEquals(500, new SimulatorOptions(1, 20_000, 1, 500, Duration.ofSeconds(3), null).limit());
    }

    @Test
    void shouldRejectOptionsWhenOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> SimulatorOptions.of(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> SimulatorOptions.of(1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> SimulatorOptions.of(1, Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> new SimulatorOptions(1, 1, 1, -1, null, null));
    }
}
