package io.tickflow.ingest;

import io.tickflow.model.Tick;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatedMarketTest {
    private static final Instant START = Instant.parse("2024-06-03T13:30:00Z");

    private static List<Tick> generate(final int stocks, final double rate, final long seed, final int n) {
        final SimulatedMarket market = new SimulatedMarket(stocks, rate, seed, START);
        final List<Tick> ticks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ticks.add(market.next());
        }
        return ticks;
    }

    @Test
    void shouldProduceTheSameTicksWhenSeedAndOptionsAreTheSame() {
        assertEquals(generate(200, 20_000, 42, 20_000), generate(200, 20_000, 42, 20_000));
    }

    @Test
    void shouldProduceOtherTicksWhenSeedDiffers() {
        assertNotEquals(generate(200, 20_000, 42, 1_000), generate(200, 20_000, 43, 1_000));
    }

    @Test
    void shouldKeepPricesOnTheCentGridAndPositiveWhenRunLong() {
        for (Tick t : generate(20, 1_000, 7, 50_000)) {
            assertTrue(t.price() >= 0.01, t.toString());
            assertEquals(Math.round(t.price() * 100) / 100.0, t.price(), 0.0, t.toString());
        }
    }

    @Test
    void shouldStampMonotonicTimestampsAtTheRateWhenGenerating() {
        final List<Tick> ticks = generate(10, 20_000, 1, 40_001);
        assertEquals(START, ticks.get(0).timestamp());
        assertEquals(START.plusNanos(50_000), ticks.get(1).timestamp());
        assertEquals(START.plus(Duration.ofSeconds(2)), ticks.get(40_000).timestamp());
        for (int i = 1; i < ticks.size(); i++) {
            assertTrue(ticks.get(i).timestamp().isAfter(ticks.get(i - 1).timestamp()));
        }
    }

    @Test
    void shouldNameStocksSimWithPaddedNumbersWhenCreated() {
        assertArrayEquals(new String[]{"SIM000", "SIM001", "SIM002"}, new SimulatedMarket(3, 1, 0, START).stockIds());
        assertEquals("SIM1999", new SimulatedMarket(2000, 1, 0, START).stockIds()[1999]);
    }

    @Test
    void shouldGiveEachStockItsOwnPriceLevelAndHeavyTailedVolumes() {
        final Map<String, Double> firstPrice = new HashMap<>();
        final double[] volumes = generate(200, 20_000, 42, 100_000).stream()
                .peek(t -> firstPrice.putIfAbsent(t.stockId(), t.price()))
                .mapToDouble(Tick::volume).sorted().toArray();
        assertEquals(200, firstPrice.size());
        assertTrue(firstPrice.values().stream().distinct().count() > 150, "start prices differ per stock");
        final double median = volumes[volumes.length / 2];
        final double p999 = volumes[(int) (volumes.length * 0.999)];
        assertTrue(volumes[0] >= 100, "minimum lot");
        assertTrue(p999 > 50 * median, "heavy tail: p99.9=" + p999 + " median=" + median);
        assertTrue(Arrays.stream(volumes).allMatch(v -> v == Math.rint(v)), "whole shares");
    }
}
