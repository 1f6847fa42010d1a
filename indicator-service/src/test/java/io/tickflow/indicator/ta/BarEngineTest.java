package io.tickflow.indicator.ta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickflow.refdata.RefData;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BarEngineTest {
    private static final EngineSpec ALL = EngineSpec.parseBars("sma:20,ema:20,rsi:14,macd:12:26:9,bbands:20:2,"
            + "wma:20,stddev:20,vwap:10,roc:10,mom:10,atr:14,stoch:14:3:3,adx:14,cci:14,willr:14,obv,mfi:14");
    private static final BarTaLibOracleTest.Ohlcv BARS = BarTaLibOracleTest.bars(11, 100.0, 0.003, true, 300);

    private static final List<RefColumn> COLUMNS = RefColumn.BAR;

    static Stream<String> csvFiles() {
        return RefData.FILES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("csvFiles")
    void shouldEqualTaLibBitForBitWhenFedEachRefdataRowAsOneFinalBar(final String csv) {
        final RefData series = RefData.load(csv);
        final double[] high = series.column("high");
        final double[] low = series.column("low");
        final double[] close = series.column("price");
        final double[] volume = series.column("volume");
        final BarEngine engine = ALL.newBarEngine();
        final StringBuilder mismatches = new StringBuilder();
        int count = 0;
        int present = 0;
        for (int row = 0; row < close.length; row++) {
            engine.update(high[row], low[row], close[row], volume[row]);
            for (final RefColumn column : COLUMNS) {
                final double want = series.value(row, column.csv());
                final double got = engine.values()[column.offsetIn(ALL)];
                if (!Double.isNaN(want)) present++;
                if (Double.doubleToLongBits(want) != Double.doubleToLongBits(got) && ++count <= 10) {
                    mismatches.append("\n row ").append(row).append(' ').append(column.csv())
                            .append(": TA-Lib ").append(want).append(", engine ").append(got);
                }
            }
        }
        assertTrue(present > (COLUMNS.size() - 1) * (close.length - 40), "the reference columns are filled");
        assertEquals(0, count, series.name() + ": " + count + " cells differ" + mismatches);
        assertEquals(close.length, engine.updates());
    }

    static Stream<String> peekSpecs() {
        return Stream.of(ALL.canonical(), "sma:2,ema:2,rsi:2,macd:2:3:2,bbands:2:1:3,atr:1,atr:2,stoch:1:1:1,"
                + "stoch:2:2:3,stoch:5:1:2,willr:2,cci:2,mfi:2,adx:2,obv,wma:2,roc:1,mom:1,vwap:1");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("peekSpecs")
    void shouldPeekWhatUpdateWouldGiveWithoutChangingTheCommittedState(final String token) {
        final EngineSpec spec = EngineSpec.parseBars(token);
        final BarEngine engine = spec.newBarEngine();
        final BarEngine reference = spec.newBarEngine();
        final Random random = new Random(3);
        for (int i = 0; i < BARS.length(); i++) {
            final double h = BARS.high()[i];
            final double l = BARS.low()[i];
            final double c = BARS.close()[i];
            final double v = BARS.volume()[i];
            final long[] committed = bits(engine.values());
            final byte[] state = engine.snapshot();
            // forming versions of this bar: each peek is what committing that version would give
            for (int p = 1 + random.nextInt(3); p > 0; p--) {
                final double fh = h * (1 + 0.001 * random.nextDouble());
                final double fc = l + (fh - l) * random.nextDouble();
                final double fv = Math.floor(v * random.nextDouble());
                final BarEngine committedThat = spec.newBarEngine();
                committedThat.restore(state);
                committedThat.update(fh, l, fc, fv);
                assertArrayEquals(bits(committedThat.values()), bits(engine.peek(fh, l, fc, fv)), "bar " + i);
                engine.peekBegin();
                assertArrayEquals(bits(committedThat.values()), bits(engine.peekAdd(fh, l, fc, fv)), "chain, bar " + i);
            }
            assertArrayEquals(committed, bits(engine.values()), "peeks leave the values alone, bar " + i);
            assertArrayEquals(state, engine.snapshot(), "peeks leave the state alone, bar " + i);
            assertArrayEquals(bits(reference.peek(h, l, c, v)), bits(engine.peek(h, l, c, v)));
            engine.update(h, l, c, v);
            reference.update(h, l, c, v);
            assertArrayEquals(bits(reference.values()), bits(engine.values()), "bar " + i);
        }
        assertEquals(BARS.length(), engine.updates());
    }

    @Test
    void shouldPeekSeveralFormingBarsInARowLikeCommittingThemInOrder() {
        final BarEngine engine = ALL.newBarEngine();
        final BarEngine committed = ALL.newBarEngine();
        for (int i = 0; i + 1 < BARS.length(); i += 2) {
            engine.peekBegin();
            engine.peekAdd(BARS.high()[i], BARS.low()[i], BARS.close()[i], BARS.volume()[i]);
            final double[] peeked = engine.peekAdd(BARS.high()[i + 1], BARS.low()[i + 1], BARS.close()[i + 1],
                    BARS.volume()[i + 1]);
            committed.update(BARS.high()[i], BARS.low()[i], BARS.close()[i], BARS.volume()[i]);
            committed.update(BARS.high()[i + 1], BARS.low()[i + 1], BARS.close()[i + 1], BARS.volume()[i + 1]);
            assertArrayEquals(bits(committed.values()), bits(peeked), "bars " + i + ".." + (i + 1));
            assertSame(engine.peekValues(), peeked);
            engine.update(BARS.high()[i], BARS.low()[i], BARS.close()[i], BARS.volume()[i]);
            engine.update(BARS.high()[i + 1], BARS.low()[i + 1], BARS.close()[i + 1], BARS.volume()[i + 1]);
        }
    }

    @Test
    void shouldContinueBitIdenticallyWhenRestoredFromASnapshot() {
        final double[][] uninterrupted = run(ALL.newBarEngine(), 0, BARS.length());
        for (int at = 0; at < BARS.length(); at += 97) {
            final BarEngine first = ALL.newBarEngine();
            run(first, 0, at);
            final BarEngine restored = ALL.newBarEngine();
            restored.restore(first.snapshot());
            assertEquals(at, restored.updates());
            final double[][] rest = run(restored, at, BARS.length());
            for (int i = at; i < BARS.length(); i++) {
                assertArrayEquals(bits(uninterrupted[i]), bits(rest[i - at]), "at=" + at + " i=" + i);
            }
        }
    }

    @Test
    void shouldThrowClearlyWhenTheSnapshotIsCorruptTruncatedOrForAnotherSpec() {
        final BarEngine engine = ALL.newBarEngine();
        run(engine, 0, 100);
        final byte[] snapshot = engine.snapshot();
        SnapshotFormatTest.assertRejectsDamagedCopies(snapshot, engine::restore);
        final byte[] magic = snapshot.clone();
        magic[0] = 0;
        SnapshotFormatTest.assertRejected(engine::restore, magic, "not a bar engine snapshot");
        SnapshotFormatTest.assertRejected(EngineSpec.parseBars("atr:14").newBarEngine()::restore, snapshot,
                "snapshot was taken with BAR_INDICATORS");
        assertEquals(100, engine.updates());
    }

    @Test
    void shouldNameTheBarOnlyKeysAsTheContractSays() {
        final EngineSpec spec = EngineSpec.parseBars(" ATR:14 , stoch:14, adx:14,cci:14,willr:14,OBV,mfi:14");
        assertEquals(List.of("atr_14", "stoch_14_3_3", "adx_14", "cci_14", "willr_14", "obv", "mfi_14"),
                spec.outputs().stream().map(OutputGroup::key).toList());
        assertEquals(List.of("k", "d"), spec.outputs().get(1).parts());
        assertEquals("atr:14,stoch:14:3:3,adx:14,cci:14,willr:14,obv,mfi:14", spec.canonical());
        assertEquals(8, spec.width());
        assertEquals(EngineSpec.parseBars(EngineSpec.DEFAULT_BARS).canonical(), EngineSpec.DEFAULT_BARS);
        assertNotEquals(EngineSpec.parse("sma:20"), EngineSpec.parseBars("sma:20"));
    }

    @Test
    void shouldRejectBarOnlyTokensInIndicatorsAndBadOnesInBarIndicators() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EngineSpec.parse("sma:20,atr:14"))
                .getMessage().contains("atr needs bars"));
        for (final String bad : new String[] {"obv:3", "stoch:14:3", "adx:1", "atr:0", "mfi", "cci:x", "willr:1:2"}) {
            final String message = assertThrows(IllegalArgumentException.class, () -> EngineSpec.parseBars(bad))
                    .getMessage();
            assertTrue(message.startsWith("bad BAR_INDICATORS token '" + bad + "'"), message);
            assertTrue(message.contains("stoch:FASTK"), message);
        }
        assertThrows(IllegalStateException.class, () -> EngineSpec.parse("sma:20").newBarEngine());
        assertThrows(IllegalStateException.class, () -> EngineSpec.parseBars("atr:14").newEngine());
    }

    @Test
    void shouldNotAllocateWhenUpdatingOrPeeking() {
        final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final BarEngine engine = ALL.newBarEngine();
        for (int round = 0; round < 10; round++) feed(engine);
        final long tid = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(tid);
        for (int round = 0; round < 20; round++) feed(engine);
        final long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertTrue(allocated < 4_096, allocated + " bytes allocated over " + 20 * BARS.length() + " bars");
    }

    private static void feed(final BarEngine engine) {
        for (int i = 0; i < BARS.length(); i++) {
            engine.peek(BARS.high()[i], BARS.low()[i], BARS.close()[i], BARS.volume()[i]);
            engine.update(BARS.high()[i], BARS.low()[i], BARS.close()[i], BARS.volume()[i]);
        }
    }

    private static double[][] run(final BarEngine engine, final int from, final int to) {
        final double[][] out = new double[to - from][];
        for (int i = from; i < to; i++) {
            engine.update(BARS.high()[i], BARS.low()[i], BARS.close()[i], BARS.volume()[i]);
            out[i - from] = engine.values().clone();
        }
        return out;
    }

    private static long[] bits(final double[] values) {
        return Arrays.stream(values).mapToLong(Double::doubleToRawLongBits).toArray();
    }
}
