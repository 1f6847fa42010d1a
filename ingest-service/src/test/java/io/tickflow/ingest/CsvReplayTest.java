package io.tickflow.ingest;

import io.tickflow.model.Tick;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvReplayTest {
    private static final Instant T0 = Instant.parse("2024-06-03T10:00:00Z");
    private static final List<Tick> TICKS = List.of(
            Tick.of("A", T0, 1, 1), Tick.of("A", T0.plusSeconds(1), 2, 1), Tick.of("A", T0.plusSeconds(3), 3, 1));

    private static long replayMillis(final double speed, final double rate, final List<Tick> into) {
        final long began = System.nanoTime();
        assertEquals(TICKS.size(), new CsvReplay(TICKS, into::add, speed, rate).run());
        return (System.nanoTime() - began) / 1_000_000;
    }

    @Test
    void shouldKeepDataGapsScaledBySpeedWhenSpeedGiven() {
        final List<Tick> sent = new ArrayList<>();
        final long millis = replayMillis(20, 0, sent); // 3 s of data at 20x = 150 ms
        assertEquals(TICKS, sent);
        assertTrue(millis >= 150, "took " + millis + " ms");
    }

    @Test
    void shouldSpaceTicksEvenlyWhenRateGiven() {
        final List<Tick> sent = new ArrayList<>();
        final long millis = replayMillis(0, 20, sent); // 3 ticks at 20/s: last due at 100 ms
        assertEquals(TICKS, sent);
        assertTrue(millis >= 100, "took " + millis + " ms");
    }

    @Test
    void shouldRejectSpeedAndRateTogether() {
        assertThrows(IllegalArgumentException.class, () -> new CsvReplay(TICKS, t -> { }, 1, 1));
    }
}
