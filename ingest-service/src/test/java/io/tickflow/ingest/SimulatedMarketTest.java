package io.tickflow.ingest;

import io.tickflow.model.Tick;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.DoubleStream;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatedMarketTest {
    private static final Instant START = Instant.parse("2024-06-03T13:30:00Z"); // the New York open (EDT)
    private static final Instant MIDDAY = Instant.parse("2024-06-03T16:00:00Z");

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

    /**
     * The real 1-minute series in reference-data, regular session: median (high − low) / close 0.041 % for AAPL
     * (Feb 2019, 16 % annualised volatility), 0.023 % for SPY (July 2025, 7 %); a liquid stock at 15–80 % a year runs
     * at about 0.05–0.3 %. One tick per simulated trading minute, as before, made it tens of percent.
     */
    @Test
    void shouldGiveOneMinuteBarsARealisticRangeAndManyTicksWhenRunAtTheLocalStacksRate() {
        final MinuteBars bars = MinuteBars.of(new SimulatedMarket(200, 2_000, 42, MIDDAY), MIDDAY, 30);
        final double median = median(bars.ranges(20.0));
        assertTrue(median > 0.0005 && median < 0.003, "median 1m range " + median);
        for (int s = 0; s < 200; s++) {
            final double stock = median(bars.rangesOf(s));
            if (bars.lastClose(s) > 20.0) {
                assertTrue(stock > 0.0002 && stock < 0.006, "SIM" + s + " median 1m range " + stock);
            }
        }
        assertTrue(bars.fewestTicks() >= 60, "fewest ticks in a bar " + bars.fewestTicks());
    }

    @Test
    void shouldKeepTheOneMinuteRangeWhenTheRateIsTenTimesHigher() {
        final double slow = median(MinuteBars.of(new SimulatedMarket(20, 200, 7, MIDDAY), MIDDAY, 30).ranges(20.0));
        final double fast = median(MinuteBars.of(new SimulatedMarket(20, 2_000, 7, MIDDAY), MIDDAY, 30).ranges(20.0));
        // a per-tick step would widen the bars √10 ≈ 3.2×; per √time only denser sampling of the same path adds a bit
        assertTrue(fast / slow > 0.8 && fast / slow < 1.35, "slow " + slow + " fast " + fast);
    }

    @Test
    void shouldSwingWiderAfterTheOpenThanAtMiddayWhenTheSessionProfileApplies() {
        final double open = median(MinuteBars.of(new SimulatedMarket(50, 1_000, 3, START), START, 15).ranges(20.0));
        final double midday = median(MinuteBars.of(new SimulatedMarket(50, 1_000, 3, MIDDAY), MIDDAY, 15).ranges(20.0));
        assertTrue(open > 1.5 * midday, "open " + open + " midday " + midday);
    }

    @Test
    void shouldBounceBetweenBidAndAskWhenAStockTradesAgainAndAgain() {
        final Map<String, Double> last = new HashMap<>();
        final Map<String, Double> lastChange = new HashMap<>();
        double products = 0;
        double squares = 0;
        int oneOrTwoCents = 0;
        int changes = 0;
        final SimulatedMarket market = new SimulatedMarket(20, 200, 5, MIDDAY);
        for (int i = 0; i < 200_000; i++) {
            final Tick t = market.next();
            final Double previous = last.put(t.stockId(), t.price());
            if (previous == null || t.price() > 50) {
                continue;
            }
            final double change = t.price() - previous;
            final Double before = lastChange.put(t.stockId(), change);
            if (before != null) {
                products += change * before;
                squares += change * change;
            }
            changes++;
            oneOrTwoCents += Math.abs(change) < 0.025 ? 1 : 0;
        }
        // Roll's bounce: successive price changes of a stock are negatively correlated, mostly a tick or two
        assertTrue(products / squares < -0.2, "lag-1 autocorrelation " + products / squares);
        assertTrue(oneOrTwoCents > 0.9 * changes, oneOrTwoCents + " of " + changes + " changes within two cents");
    }

    @Test
    void shouldTradeBusyStocksMoreOftenThanQuietOnesWithinAFactorOfTen() {
        final Map<String, Integer> counts = new HashMap<>();
        for (Tick t : generate(200, 20_000, 42, 400_000)) {
            counts.merge(t.stockId(), 1, Integer::sum);
        }
        final int fewest = counts.values().stream().mapToInt(Integer::intValue).min().orElseThrow();
        final int most = counts.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        assertEquals(200, counts.size());
        assertTrue(most > 4 * fewest && most < 12 * fewest, "fewest " + fewest + " most " + most);
    }

    @Test
    void shouldAllocateNothingButTheTickWhenGenerating() {
        final var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final SimulatedMarket market = new SimulatedMarket(200, 20_000, 42, MIDDAY);
        double checksum = 0;
        for (int i = 0; i < 200_000; i++) {
            checksum += market.next().price();
        }
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1_000_000; i++) {
            checksum += market.next().price();
        }
        final double perTick = (threads.getCurrentThreadAllocatedBytes() - before) / 1e6;
        // a Tick and its Instant: 72 B with compressed oops
        assertTrue(perTick < 100, perTick + " B per tick");
        assertTrue(checksum > 0);
    }

    private static double median(final DoubleStream values) {
        final double[] sorted = values.sorted().toArray();
        return sorted[sorted.length / 2];
    }

    /** 1-minute OHLC bars per stock over {@code minutes} from {@code start}, built as the indicator service does. */
    private record MinuteBars(double[][] high, double[][] low, double[][] close, int[][] ticks) {
        static MinuteBars of(final SimulatedMarket market, final Instant start, final int minutes) {
            final int stocks = market.stockIds().length;
            final MinuteBars bars = new MinuteBars(new double[stocks][minutes], new double[stocks][minutes],
                    new double[stocks][minutes], new int[stocks][minutes]);
            final Map<String, Integer> index = new HashMap<>();
            for (String id : market.stockIds()) {
                index.put(id, index.size());
            }
            final Instant end = start.plus(Duration.ofMinutes(minutes));
            for (Tick t = market.next(); t.timestamp().isBefore(end); t = market.next()) {
                final int s = index.get(t.stockId());
                final int m = (int) Duration.between(start, t.timestamp()).toMinutes();
                if (bars.ticks[s][m]++ == 0) {
                    bars.high[s][m] = t.price();
                    bars.low[s][m] = t.price();
                }
                bars.high[s][m] = Math.max(bars.high[s][m], t.price());
                bars.low[s][m] = Math.min(bars.low[s][m], t.price());
                bars.close[s][m] = t.price();
            }
            return bars;
        }

        /** (high − low) / close of every bar of a stock. */
        DoubleStream rangesOf(final int s) {
            final int minutes = close[s].length;
            return IntStream.range(0, minutes).filter(m -> ticks[s][m] > 0)
                    .mapToDouble(m -> (high[s][m] - low[s][m]) / close[s][m]);
        }

        /** The ranges of every bar of the stocks that end above {@code minPrice} (where a cent is not the range). */
        DoubleStream ranges(final double minPrice) {
            return IntStream.range(0, close.length).filter(s -> lastClose(s) > minPrice)
                    .mapToObj(this::rangesOf).flatMapToDouble(r -> r);
        }

        double lastClose(final int s) {
            return close[s][close[s].length - 1];
        }

        int fewestTicks() {
            return Arrays.stream(ticks).flatMapToInt(Arrays::stream).min().orElseThrow();
        }
    }
}
