package io.tickflow.indicator.bars;

import static io.tickflow.indicator.bars.BarCloserTest.tick;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickflow.indicator.ta.EngineSpec;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StockBarsTest {
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final long T0 = Instant.parse("2024-06-02T23:45:00Z").toEpochMilli(); // crosses a 1d bar's end
    private static final BarSpec SPEC = BarSpec.parse("1s,1m,5m,1d", UTC, 2_000L, 250L,
            EngineSpec.DEFAULT_BARS + ",adx:14,cci:14,willr:14,obv,mfi:14");
    private static final int STOCKS = 12;
    private static final int TICKS = 30_000;

    /** One tick of the generated partition: stock index, timestamp, price, volume. */
    private record Tick(int stock, long timestamp, double price, double volume) {
    }

    /** A partition's ticks: mostly in order, some out of order inside the grace and some late; quiet stocks. */
    private static List<Tick> ticks() {
        final Random random = new Random(42);
        final List<Tick> ticks = new ArrayList<>();
        final double[] price = new double[STOCKS];
        Arrays.fill(price, 100.0);
        long time = T0 - 7_000;
        for (int i = 0; i < TICKS; i++) {
            time += random.nextInt(120);
            if (random.nextInt(2_000) == 0) time += 300_000; // a quiet spell: no bar for those intervals
            final int stock = random.nextInt(10) == 0 ? STOCKS - 1 - random.nextInt(2) : random.nextInt(STOCKS - 2);
            price[stock] *= Math.exp(0.001 * random.nextGaussian());
            final int r = random.nextInt(50);
            final long ts = r == 0 ? time - 2_500 - random.nextInt(60_000) : r < 5 ? time - random.nextInt(2_000) : time;
            ticks.add(new Tick(stock, ts, Math.round(price[stock] * 100.0) / 100.0, random.nextInt(20) * 100.0));
        }
        return ticks;
    }

    private static StockBars[] fresh() {
        final StockBars[] stocks = new StockBars[STOCKS];
        for (int i = 0; i < STOCKS; i++) stocks[i] = SPEC.newStockBars("S" + i);
        return stocks;
    }

    /** Feeds ticks [from, to); returns each tick's records and late mask as lines. */
    private static List<String> feed(final BarCloser closer, final StockBars[] stocks, final List<Tick> ticks,
                                     final int from, final int to) {
        final Recorder out = new Recorder();
        final List<String> lines = new ArrayList<>();
        for (int i = from; i < to; i++) {
            final Tick t = ticks.get(i);
            final int late = tick(closer, stocks[t.stock()], t.timestamp(), t.price(), t.volume(), out);
            lines.add("tick " + i + " late " + late);
            lines.addAll(out.lines);
            out.clear();
        }
        return lines;
    }

    @Test
    void shouldContinueBitIdenticallyWhenRestoredFromSnapshotsIntoAFreshCloser() {
        final List<Tick> ticks = ticks();
        final List<String> uninterrupted = feed(new BarCloser(), fresh(), ticks, 0, TICKS);
        assertTrue(uninterrupted.stream().anyMatch(l -> l.contains(" final ")));
        assertTrue(uninterrupted.stream().anyMatch(l -> l.matches("tick \\d+ late [1-9].*")), "some ticks are late");
        assertTrue(uninterrupted.stream().anyMatch(l -> l.contains(" 1d final ")));
        for (final int cut : new int[] {0, 1, 17, 999, 5_003, 12_345, 29_999}) {
            final BarCloser closer = new BarCloser();
            final StockBars[] before = fresh();
            final List<String> head = feed(closer, before, ticks, 0, cut);
            final StockBars[] after = fresh();
            final BarCloser restored = new BarCloser();
            for (int i = STOCKS - 1; i >= 0; i--) { // another order than the first run built its heap in
                final byte[] snapshot = before[i].snapshot();
                final byte[] engines = before[i].enginesSnapshot();
                after[i].restore(snapshot, engines);
                assertArrayEquals(snapshot, after[i].snapshot(), "snapshot round trip, stock " + i);
                assertArrayEquals(engines, after[i].enginesSnapshot(), "engines round trip, stock " + i);
                restored.track(after[i]);
            }
            assertEquals(closer.streamTime(), restored.streamTime(), "stream time from the stocks' max timestamps");
            assertEquals(closer.openSeries(), restored.openSeries());
            final List<String> tail = feed(restored, after, ticks, cut, TICKS);
            final List<String> all = new ArrayList<>(head);
            all.addAll(tail);
            assertEquals(uninterrupted.size(), all.size(), "cut " + cut);
            for (int i = 0; i < all.size(); i++) assertEquals(uninterrupted.get(i), all.get(i), "cut " + cut);
        }
    }

    @Test
    void shouldThrowClearlyWhenTheSnapshotIsCorruptTruncatedOrForAnotherSpec() {
        final List<Tick> ticks = ticks();
        final StockBars[] stocks = fresh();
        feed(new BarCloser(), stocks, ticks, 0, 2_000);
        final byte[] snapshot = stocks[0].snapshot();
        final byte[] engines = stocks[0].enginesSnapshot();
        final byte[] flipped = snapshot.clone();
        flipped[flipped.length / 2] ^= 0x10;
        assertMessage(SPEC, flipped, "CRC32");
        assertMessage(SPEC, Arrays.copyOf(snapshot, 3), "truncated");
        assertMessage(SPEC, Arrays.copyOf(snapshot, snapshot.length - 1), "CRC32");
        final byte[] version = snapshot.clone();
        version[4] = 9;
        assertMessage(SPEC, version, "version 9");
        assertMessage(BarSpec.parse("1s,1m,5m,1d", UTC, 3_000L, 250L, EngineSpec.DEFAULT_BARS), snapshot,
                "snapshot was taken with BARS '1s,1m,5m,1d@UTC|grace=2000|update=250|");
        final byte[] flippedEngines = engines.clone();
        flippedEngines[flippedEngines.length / 2] ^= 0x10;
        assertMessage(SPEC, snapshot, flippedEngines, "CRC32");
        final StockBars target = SPEC.newStockBars("S0");
        target.restore(snapshot, engines);
        assertArrayEquals(snapshot, target.snapshot());
    }

    @Test
    void shouldRefuseBarEnginesThatAreNotOfTheBuildersCommit() {
        final List<Tick> ticks = ticks();
        final StockBars[] stocks = fresh();
        final BarCloser closer = new BarCloser();
        feed(closer, stocks, ticks, 0, 2_000);
        final byte[] earlierEngines = stocks[0].enginesSnapshot();
        feed(closer, stocks, ticks, 2_000, 6_000);
        assertTrue(stocks[0].series(0).seq() > 0, "1s bars became final in between");
        final StockBars target = SPEC.newStockBars("S0");
        final String message = assertThrows(IllegalArgumentException.class,
                () -> target.restore(stocks[0].snapshot(), earlierEngines)).getMessage();
        assertTrue(message.contains("not from one commit"), message);
        assertThrows(IllegalArgumentException.class, () -> SPEC.newStockBars("S0").restore(stocks[0].snapshot(),
                new byte[0]), "final bars without their engines");
    }

    @Test
    void shouldRestoreTheVersion1SnapshotThatHoldsEachIntervalsEngineBehindItsBarsAndIgnoreAnEnginesRecordBesideIt() {
        final StockBars[] stocks = fresh();
        final BarCloser closer = new BarCloser();
        feed(closer, stocks, ticks(), 0, 2_000);
        final byte[] staleEngines = stocks[0].enginesSnapshot();
        feed(closer, stocks, ticks(), 2_000, 5_003);
        final byte[] withEngines = stocks[0].snapshotWithEngines();
        assertTrue(StockBars.holdsEngines(withEngines));
        assertFalse(StockBars.holdsEngines(stocks[0].snapshot()));
        final StockBars fromV1 = SPEC.newStockBars("S0");
        fromV1.restore(withEngines, staleEngines);
        assertArrayEquals(stocks[0].snapshot(), fromV1.snapshot());
        assertArrayEquals(stocks[0].enginesSnapshot(), fromV1.enginesSnapshot());
    }

    @Test
    void shouldRestoreStateTakenUnderAnotherFormingThrottleButNotAnotherGrace() {
        final BarSpec old = BarSpec.parse("1s,1m,5m,1d", UTC, 2_000L, 250L, SPEC.indicators().canonical());
        final BarSpec now = BarSpec.parse("1s,1m,5m,1d", UTC, 2_000L, 1_000L, SPEC.indicators().canonical());
        final StockBars[] stocks = new StockBars[STOCKS];
        for (int i = 0; i < STOCKS; i++) stocks[i] = old.newStockBars("S" + i);
        feed(new BarCloser(), stocks, ticks(), 0, 3_000);
        final StockBars restored = now.newStockBars("S0");
        restored.restore(stocks[0].snapshot(), stocks[0].enginesSnapshot());
        assertEquals(stocks[0].maxTimestamp(), restored.maxTimestamp());
        assertEquals(stocks[0].series(1).seq(), restored.series(1).seq());
        assertTrue(now.readsStateOf(old.canonical()));
        assertFalse(BarSpec.parse("1s,1m,5m,1d", UTC, 3_000L, 1_000L, SPEC.indicators().canonical())
                .readsStateOf(old.canonical()), "the grace changes which bars are final");
    }

    private static void assertMessage(final BarSpec spec, final byte[] snapshot, final String expected) {
        assertMessage(spec, snapshot, new byte[0], expected);
    }

    private static void assertMessage(final BarSpec spec, final byte[] snapshot, final byte[] engines,
                                      final String expected) {
        final StockBars target = spec.newStockBars("S0");
        final String message = assertThrows(IllegalArgumentException.class, () -> target.restore(snapshot, engines))
                .getMessage();
        assertTrue(message.contains(expected), message);
        assertEquals(Long.MIN_VALUE, target.maxTimestamp(), "untouched");
    }

    @Test
    void shouldRejectBadSettingsNamingTheKey() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BarSpec.parse("1m", UTC, -1, 250, "sma:20"))
                .getMessage().startsWith("BAR_GRACE"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BarSpec.parse("1m", UTC, 0, -1, "sma:20"))
                .getMessage().startsWith("BAR_UPDATE_INTERVAL"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BarSpec.parse("1m", UTC, 0, 0, "atr:0"))
                .getMessage().startsWith("bad BAR_INDICATORS token"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new BarSpec(List.of(BarInterval.parse("1m", UTC)), 0, 0, EngineSpec.parse("sma:20")))
                .getMessage().startsWith("BAR_INDICATORS"));
        assertEquals("1m,5m|grace=2000|update=1000|" + EngineSpec.DEFAULT_BARS, BarSpec.defaults().canonical());
    }
}
