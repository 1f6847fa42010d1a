package io.tickflow.indicator.ta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickflow.refdata.RefData;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StockEngineTest {
    private static final EngineSpec ALL = EngineSpec.parse(
            "sma:20,ema:20,rsi:14,macd:12:26:9,bbands:20:2,wma:20,stddev:20,roc:10,mom:10,vwap:20,bbands:10:1:3");
    private static double[] price;
    private static double[] volume;

    @BeforeAll
    static void loadRealSeries() {
        final RefData aapl = RefData.load("AAPL_1m_2019.csv");
        price = aapl.column("price");
        volume = aapl.column("volume");
    }

    @Test
    void shouldContinueBitIdenticallyWhenRestoredFromASnapshotTakenEveryKTicks() {
        final double[][] uninterrupted = run(ALL.newEngine(), 0, price.length);
        for (final int k : new int[] {1, 7, 33, 500}) {
            for (int at = k; at < price.length; at += k * 13) { // snapshot points spread over the series
                final StockEngine first = ALL.newEngine();
                run(first, 0, at);
                final StockEngine restored = ALL.newEngine();
                restored.restore(first.snapshot());
                assertEquals(at, restored.updates());
                assertArrayEquals(bits(first.values()), bits(restored.values()));
                final double[][] rest = run(restored, at, price.length);
                for (int i = at; i < price.length; i++) {
                    assertArrayEquals(bits(uninterrupted[i]), bits(rest[i - at]), "k=" + k + " at=" + at + " i=" + i);
                }
            }
        }
    }

    @Test
    void shouldSurviveASnapshotChainWhenRestoringAfterEveryTick() {
        StockEngine engine = ALL.newEngine();
        final StockEngine reference = ALL.newEngine();
        for (int i = 0; i < price.length; i++) {
            final StockEngine next = ALL.newEngine();
            next.restore(engine.snapshot());
            engine = next;
            engine.update(price[i], volume[i]);
            reference.update(price[i], volume[i]);
        }
        assertArrayEquals(bits(reference.values()), bits(engine.values()));
    }

    @Test
    void shouldThrowClearlyWhenTheSnapshotIsCorruptTruncatedOrForAnotherSpec() {
        final StockEngine engine = ALL.newEngine();
        run(engine, 0, 100);
        final byte[] snapshot = engine.snapshot();

        SnapshotFormatTest.assertRejectsDamagedCopies(snapshot, engine::restore);
        final byte[] magic = snapshot.clone();
        magic[0] = 0;
        SnapshotFormatTest.assertRejected(engine::restore, magic, "not an engine snapshot");
        SnapshotFormatTest.assertRejected(EngineSpec.parse("sma:20").newEngine()::restore, snapshot,
                "snapshot was taken with INDICATORS");
        assertEquals(100, engine.updates()); // untouched by the failed restores
    }

    @Test
    void shouldReuseOneValuesArrayAndCountUpdatesWhenFed() {
        final StockEngine engine = ALL.newEngine();
        final double[] values = engine.values();
        assertTrue(Arrays.stream(values).allMatch(Double::isNaN));
        run(engine, 0, 50);
        assertSame(values, engine.values());
        assertEquals(50, engine.updates());
        assertTrue(Arrays.stream(values).noneMatch(Double::isNaN));
    }

    @Test
    void shouldKeepRecursiveIndicatorsAbsentButRecoverWindowIndicatorsWhenANonFinitePriceArrives() {
        final StockEngine engine = EngineSpec.parse("sma:3,ema:3,mom:2").newEngine();
        for (final double p : new double[] {1, 2, 3, Double.NaN, 4, 5, 6}) engine.update(p, 1);
        assertEquals((4.0 + 5.0 + 6.0) / 3, engine.values()[0]); // SMA re-seeds once the NaN has left its window
        assertTrue(Double.isNaN(engine.values()[1])); // EMA carries it for ever, as TA-Lib does
        assertEquals(6.0 - 4.0, engine.values()[2]); // MOM has no running sum: recovers once the NaN leaves its window
    }

    @Test
    void shouldEqualAFreshVwapOnceAHugeTickHasLeftTheWindow() {
        final int at = 500;
        final StockEngine spiked = EngineSpec.parse("vwap:20").newEngine();
        final StockEngine fresh = EngineSpec.parse("vwap:20").newEngine();
        for (int i = 0; i < 1_000; i++) {
            final double p = i == at ? 1e12 : price[i];
            final double v = i == at ? 1e15 : volume[i];
            spiked.update(p, v);
            if (i > at) fresh.update(p, v);
            if (i >= at + 20) {
                assertEquals(Double.doubleToLongBits(fresh.values()[0]), Double.doubleToLongBits(spiked.values()[0]),
                        "tick " + i + ": fresh " + fresh.values()[0] + ", after the spike " + spiked.values()[0]);
            }
        }
    }

    @Test
    void shouldNotAllocateWhenUpdating() {
        final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final StockEngine engine = ALL.newEngine();
        for (int round = 0; round < 20; round++) run(engine, 0, price.length); // warm up: let the JIT compile
        final long tid = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(tid);
        for (int round = 0; round < 60; round++) {
            for (int i = 0; i < price.length; i++) engine.update(price[i], volume[i]);
        }
        final long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertTrue(allocated < 4_096, allocated + " bytes allocated over " + 60 * price.length + " updates");
        assertNotEquals(0, engine.updates());
    }

    /** Feeds ticks [from, to) and returns a copy of the values after each. */
    private static double[][] run(final StockEngine engine, final int from, final int to) {
        final double[][] out = new double[to - from][];
        for (int i = from; i < to; i++) {
            engine.update(price[i], volume[i]);
            out[i - from] = engine.values().clone();
        }
        return out;
    }

    private static long[] bits(final double[] values) {
        return Arrays.stream(values).mapToLong(Double::doubleToRawLongBits).toArray();
    }
}
