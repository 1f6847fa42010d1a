package io.tickflow.indicator.bars;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickflow.indicator.ta.EngineSpec;
import io.tickflow.indicator.ta.OutputGroup;
import io.tickflow.refdata.RefData;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BarCloserTest {
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final long T0 = Instant.parse("2024-06-02T12:00:00Z").toEpochMilli();

    /** A tick, then its forming updates at once (the updates of each tick, as a caller sending after every tick). */
    static int tick(final BarCloser closer, final StockBars stock, final long timestamp, final double price,
                    final double volume, final BarListener out) {
        final int late = closer.onTick(stock, timestamp, price, volume, out);
        closer.sendForming(out);
        return late;
    }

    private static BarSpec spec(final String bars, final long updateInterval) {
        return BarSpec.parse(bars, UTC, 2_000L, updateInterval, "sma:2,atr:2");
    }

    @Test
    void shouldBuildOpenHighLowCloseVolumeTradesAndVwapByArrivalWhenTicksComeInAnyOrder() {
        final BarSpec spec = spec("1m", 0);
        final StockBars aapl = spec.newStockBars("AAPL");
        final BarCloser closer = new BarCloser();
        final Recorder out = new Recorder();
        assertEquals(0, tick(closer, aapl, T0 + 10_000, 10.0, 100, out));
        assertEquals(0, tick(closer, aapl, T0 + 30_000, 12.0, 50, out));
        assertEquals(0, tick(closer, aapl, T0 + 20_000, 9.0, 10, out)); // earlier timestamp, arrives last: the close
        assertTrue(out.finals.isEmpty());
        tick(closer, aapl, T0 + 62_000, 11.0, 1, out); // stream time reaches 12:01 + 2 s grace
        assertEquals(1, out.finals.size());
        final Recorder.Final bar = out.finals.get(0);
        assertEquals(T0, bar.start());
        assertEquals(T0 + 60_000, bar.end());
        assertEquals(List.of(10.0, 12.0, 9.0, 9.0, 160.0), List.of(bar.open(), bar.high(), bar.low(), bar.close(),
                bar.volume()));
        assertEquals(3, bar.trades());
        assertEquals((10.0 * 100 + 12.0 * 50 + 9.0 * 10) / 160.0, bar.vwap());
        assertEquals(1, bar.seq());
    }

    @Test
    void shouldKeepTheStreamTimeOfAnAdvanceThatClosedABarInTheStockSoARestoreKeepsTheBarFinal() {
        final BarSpec spec = spec("1m", 0);
        final StockBars quiet = spec.newStockBars("QUIET");
        final BarCloser closer = new BarCloser();
        final Recorder out = new Recorder();
        tick(closer, quiet, T0 + 50_000, 10.0, 1, out);
        closer.advance(T0 + 59_000, out); // an advance no tick carried (BAR_IDLE_CLOSE) that closes nothing
        assertEquals(T0 + 50_000, quiet.maxTimestamp(), "nothing of the stock changed");
        closer.advance(T0 + 70_000, out);
        assertEquals(1, out.finals.size());
        assertEquals(T0 + 70_000, quiet.maxTimestamp(), "the state holding the bar final holds a time it is final at");

        final StockBars restored = spec.newStockBars("QUIET");
        restored.restore(quiet.snapshot(), quiet.enginesSnapshot());
        final BarCloser rebuilt = new BarCloser();
        rebuilt.track(restored);
        out.clear();
        assertEquals(1, tick(rebuilt, restored, T0 + 55_000, 11.0, 1, out), "late, not a bar opened a second time");
        rebuilt.advance(T0 + 200_000, out);
        assertTrue(out.finals.isEmpty(), out.lines.toString());
    }

    @Test
    void shouldCloseAnIlliquidStocksBarOnlyWhenItsPartitionsStreamTimePassesEndPlusGrace() {
        final BarSpec spec = spec("1m", 0);
        final StockBars quiet = spec.newStockBars("QUIET");
        final StockBars busy = spec.newStockBars("BUSY");
        final BarCloser closer = new BarCloser();
        final Recorder out = new Recorder();
        tick(closer, quiet, T0 + 30_000, 5.0, 1, out);
        tick(closer, busy, T0 + 61_999, 7.0, 1, out);
        assertTrue(out.finals.isEmpty(), "stream time 12:01:01.999 < 12:01:02");
        tick(closer, busy, T0 + 62_000, 7.0, 1, out);
        assertEquals(List.of("QUIET"), out.finals.stream().map(Recorder.Final::stockId).toList());
        out.clear();
        closer.advance(T0 + 10 * 60_000, out); // ten quiet minutes: QUIET had no tick, so it has no bar
        assertEquals(List.of("BUSY 1"), out.finals.stream().map(f -> f.stockId() + " " + f.seq()).toList());
        assertNull(quiet.series(0).forming());
        assertEquals(1, quiet.series(0).seq());
        assertEquals(0, closer.openSeries());
    }

    @Test
    void shouldReportALateTickPerIntervalAndKeepItOutOfThatIntervalsBars() {
        final BarSpec spec = spec("1m,5m", 0);
        final StockBars aapl = spec.newStockBars("AAPL");
        final BarCloser closer = new BarCloser();
        final Recorder out = new Recorder();
        tick(closer, aapl, T0 + 1_000, 10.0, 1, out);
        tick(closer, aapl, T0 + 62_000, 11.0, 1, out); // 12:00 1m bar final
        assertEquals(1, out.finals.size());
        assertEquals(0b01, tick(closer, aapl, T0 + 59_000, 99.0, 1, out), "late for 1m, in time for 5m");
        assertEquals("1m", spec.lateIntervals(0b01));
        assertEquals("1m,5m", spec.lateIntervals(0b11));
        assertEquals(11.0, aapl.series(0).forming().close());
        assertEquals(99.0, aapl.series(1).forming().close());
        assertEquals(3, aapl.series(1).forming().trades());
        closer.advance(T0 + 5 * 60_000 + 2_000, out);
        assertEquals(0b11, tick(closer, aapl, T0 + 60_000, 1.0, 1, out), "both bars of 12:01 are final now");
        final long now = closer.streamTime();
        assertEquals(0b11, tick(closer, aapl, now - 3 * 60_000, 1.0, 1, out), "a minute that never had a tick");
        assertEquals(now, closer.streamTime());
        assertEquals(2, out.finals.stream().filter(f -> f.interval().equals("1m")).count());
        assertEquals(99.0, out.finals.get(out.finals.size() - 1).high(), "the 5m bar holds the tick late for 1m");
    }

    @Test
    void shouldPutAnOutOfOrderTickInsideTheGraceIntoItsOwnOlderBar() {
        final BarSpec spec = spec("1m", 0);
        final StockBars aapl = spec.newStockBars("AAPL");
        final BarCloser closer = new BarCloser();
        final Recorder out = new Recorder();
        tick(closer, aapl, T0 + 30_000, 10.0, 1, out);
        tick(closer, aapl, T0 + 61_000, 20.0, 1, out); // opens 12:01 while 12:00 is in its grace time
        assertEquals(2, aapl.series(0).openBars());
        assertEquals(0, tick(closer, aapl, T0 + 59_999, 12.0, 1, out));
        assertEquals(1, out.forming.get(2).seq(), "the forming update is the older bar's, seq 1");
        assertEquals(T0, out.forming.get(2).start());
        assertEquals(2, out.forming.get(1).seq(), "the newer bar will be final bar 2");
        tick(closer, aapl, T0 + 62_000, 21.0, 1, out);
        final Recorder.Final first = out.finals.get(0);
        assertEquals(List.of(10.0, 12.0, 10.0, 12.0), List.of(first.open(), first.high(), first.low(), first.close()));
        assertEquals(2, first.trades());
        assertEquals(20.0, aapl.series(0).forming().open());
    }

    @Test
    void shouldThrottleFormingUpdatesByStreamTimeAndPeekWhatTheFinalBarGets() {
        final BarSpec spec = spec("1m", 250);
        final StockBars aapl = spec.newStockBars("AAPL");
        final BarCloser closer = new BarCloser();
        final Recorder out = new Recorder();
        for (int ms = 0; ms <= 1_000; ms += 100) tick(closer, aapl, T0 + ms, 10.0 + ms / 1000.0, 1, out);
        assertEquals(List.of(1L, 1L, 1L, 1L), out.forming.stream().map(Recorder.Final::seq).toList());
        assertEquals(List.of(1, 4, 7, 10), out.forming.stream().map(f -> (int) f.trades()).toList(),
                "sent at stream times 0, 300, 600, 900 ms");
        // Bars 1 and 2 close; bar 3's forming update (first tick) then carries the values it closes with.
        tick(closer, aapl, T0 + 60_000, 11.0, 1, out);
        tick(closer, aapl, T0 + 120_000, 12.0, 1, out);
        final Recorder.Final formingThird = out.forming.get(out.forming.size() - 1);
        closer.advance(T0 + 182_000, out);
        final Recorder.Final third = out.finals.get(2);
        assertEquals(3, formingThird.seq());
        assertEquals(3, third.seq());
        assertArrayEquals(bits(third.indicators()), bits(formingThird.indicators()));
        assertTrue(Double.isFinite(third.indicators()[0]) && Double.isFinite(third.indicators()[1]), "sma:2, atr:2");
    }

    @Test
    void shouldConflateTicksBetweenTwoSendsIntoOneFormingUpdatePerIntervalWithTheLatestValues() {
        final BarSpec spec = spec("1m,5m", 0);
        final StockBars conflated = spec.newStockBars("AAPL");
        final StockBars perTick = spec.newStockBars("AAPL");
        final BarCloser conflating = new BarCloser();
        final BarCloser sendingEachTick = new BarCloser();
        final Recorder out = new Recorder();
        final Recorder each = new Recorder();
        for (int i = 0; i < 50; i++) {
            final double price = 10.0 + Math.sin(i);
            assertEquals(0, conflating.onTick(conflated, T0 + 100L * i, price, 1 + i % 3, out));
            tick(sendingEachTick, perTick, T0 + 100L * i, price, 1 + i % 3, each);
        }
        assertTrue(out.forming.isEmpty(), "nothing before the send");
        conflating.sendForming(out);
        assertEquals(List.of("1m", "5m"), out.forming.stream().map(Recorder.Final::interval).toList());
        assertEquals(100, each.forming.size());
        assertEquals(each.lines.subList(98, 100), out.lines, "the updates the last tick made, bit for bit");
        conflating.sendForming(out);
        assertEquals(2, out.forming.size(), "nothing changed since: nothing more to send");
    }

    @Test
    void shouldDropAThrottledUpdateAtASendAndLetTheNextTickPastTheThrottleSendItsBar() {
        final BarSpec spec = spec("1m", 250);
        final StockBars aapl = spec.newStockBars("AAPL");
        final BarCloser closer = new BarCloser();
        final Recorder out = new Recorder();
        closer.onTick(aapl, T0, 10.0, 1, out);
        closer.onTick(aapl, T0 + 100, 11.0, 1, out);
        closer.sendForming(out);
        assertEquals(List.of(2L), out.forming.stream().map(Recorder.Final::trades).toList(), "conflated");
        closer.onTick(aapl, T0 + 200, 12.0, 1, out);
        closer.sendForming(out);
        closer.advance(T0 + 250, out); // e.g. another stock's tick on the partition
        closer.sendForming(out);
        assertEquals(1, out.forming.size(), "200 ms of stream time after the last update: dropped, not held");
        closer.onTick(aapl, T0 + 350, 13.0, 1, out);
        closer.sendForming(out);
        assertEquals(List.of(2L, 4L), out.forming.stream().map(Recorder.Final::trades).toList());
        assertEquals(13.0, out.forming.get(1).close());
    }

    @Test
    void shouldSendTheBarOfTheLastTickAndNoFormingUpdateForABarThatWentFinalBeforeTheSend() {
        final BarSpec spec = spec("1m", 0);
        final StockBars aapl = spec.newStockBars("AAPL");
        final BarCloser closer = new BarCloser();
        final Recorder out = new Recorder();
        closer.onTick(aapl, T0 + 30_000, 10.0, 1, out);
        closer.onTick(aapl, T0 + 59_000, 12.0, 1, out);
        closer.onTick(aapl, T0 + 61_000, 20.0, 1, out); // 12:01 opens while 12:00 is in its grace
        closer.sendForming(out);
        assertEquals(1, out.forming.size(), "one update per series");
        assertEquals(T0 + 60_000, out.forming.get(0).start(), "the bar of the last tick");
        assertEquals(2, out.forming.get(0).seq());
        closer.onTick(aapl, T0 + 61_500, 21.0, 1, out);
        closer.onTick(aapl, T0 + 122_000, 22.0, 1, out); // 12:01 final; 12:02 opens
        closer.onTick(aapl, T0 + 62_500, 23.0, 1, out); // late for 12:01 now: in no bar
        closer.sendForming(out);
        assertEquals(List.of(1L, 2L), out.finals.stream().map(Recorder.Final::seq).toList());
        assertEquals(List.of(T0 + 60_000, T0 + 120_000), out.forming.stream().map(Recorder.Final::start).toList(),
                "12:01 went final before the send: its final record stands, no forming update after it");
    }

    @Test
    void shouldGiveTheSameFinalBarsWhateverTheNumberOfFormingUpdatesPeeked() {
        final Recorder everyTick = new Recorder();
        final Recorder never = new Recorder();
        for (final Recorder out : List.of(everyTick, never)) {
            final BarSpec spec = BarSpec.parse("1s,1m", UTC, 2_000L, out == everyTick ? 0L : Long.MAX_VALUE / 4,
                    EngineSpec.DEFAULT_BARS + ",adx:5,cci:5,willr:5,obv,mfi:5");
            final StockBars a = spec.newStockBars("A");
            final StockBars b = spec.newStockBars("B");
            final BarCloser closer = new BarCloser();
            double price = 50.0;
            for (int i = 0; i < 20_000; i++) {
                price *= 1 + 0.001 * Math.sin(i * 0.37) + 0.0005 * Math.cos(i * 1.3);
                final long jitter = i % 11 == 0 ? 1_500 : 0;
                tick(closer, i % 3 == 0 ? b : a, T0 + 97L * i - jitter, price, i % 7 * 10.0, out);
            }
            closer.advance(Long.MAX_VALUE / 2, out);
        }
        assertTrue(everyTick.forming.size() > 20_000, "a forming update per tick and interval");
        assertEquals(never.forming.size(), 2 * 2, "the first tick of each series only");
        assertEquals(never.finals.size(), everyTick.finals.size());
        final List<String> finalsOnly = everyTick.lines.stream().filter(l -> l.contains(" final ")).toList();
        assertEquals(never.lines.stream().filter(l -> l.contains(" final ")).toList(), finalsOnly);
    }

    @Test
    void shouldLeaveAnUntrackedStockAloneUntilItIsTrackedAgain() {
        final BarSpec spec = spec("1m", 0);
        final StockBars a = spec.newStockBars("A");
        final StockBars b = spec.newStockBars("B");
        final BarCloser closer = new BarCloser();
        final Recorder out = new Recorder();
        tick(closer, a, T0, 1.0, 1, out);
        tick(closer, b, T0, 2.0, 1, out);
        closer.untrack(a); // e.g. its partition was revoked
        assertEquals(1, closer.openSeries());
        closer.advance(T0 + 62_000, out);
        assertEquals(List.of("B"), out.finals.stream().map(Recorder.Final::stockId).toList());
        assertEquals(1, a.series(0).openBars());
        closer.track(a);
        closer.advance(T0 + 62_001, out);
        assertEquals(List.of("B", "A"), out.finals.stream().map(Recorder.Final::stockId).toList());
    }

    static Stream<String> csvFiles() {
        return RefData.FILES.stream();
    }

    /**
     * Each reference row becomes three ticks inside its minute (its day, for the daily series): high, low, close, with
     * the row's volume split among them. Every final bar equals the row (high, low, close, volume) and its
     * indicators equal TA-Lib's columns bit for bit.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("csvFiles")
    void shouldMatchTheReferenceBitForBitWhenEachRowIsTurnedIntoTicksInsideItsBar(final String csv) {
        final RefData series = RefData.load(csv);
        final boolean daily = csv.contains("1d");
        final BarSpec spec = BarSpec.parse(daily ? "1d" : "1m", UTC, 2_000L, 250L, EngineSpec.DEFAULT_BARS);
        final StockBars stock = spec.newStockBars("REF");
        final BarCloser closer = new BarCloser();
        final Recorder out = new Recorder();
        final double[] high = series.column("high");
        final double[] low = series.column("low");
        final double[] close = series.column("price");
        final double[] volume = series.column("volume");
        final long step = daily ? 3_600_000L : 10_000L;
        for (int row = 0; row < series.rows(); row++) {
            final long t = series.time(row).toEpochMilli();
            final double third = Math.floor(volume[row] / 3);
            assertEquals(0, tick(closer, stock, t + step, high[row], third, out));
            assertEquals(0, tick(closer, stock, t + 2 * step, low[row], third, out));
            assertEquals(0, tick(closer, stock, t + 3 * step, close[row], volume[row] - 2 * third, out));
        }
        closer.advance(Long.MAX_VALUE / 2, out);
        assertEquals(series.rows(), out.finals.size());
        final List<String[]> columns = List.of(new String[] {"sma20", "sma_20", null},
                new String[] {"ema20", "ema_20", null}, new String[] {"rsi14", "rsi_14", null},
                new String[] {"macd", "macd_12_26_9", "macd"}, new String[] {"macd_signal", "macd_12_26_9", "signal"},
                new String[] {"macd_hist", "macd_12_26_9", "hist"}, new String[] {"bb_upper", "bbands_20_2", "upper"},
                new String[] {"bb_middle", "bbands_20_2", "middle"}, new String[] {"bb_lower", "bbands_20_2", "lower"},
                new String[] {"atr14", "atr_14", null}, new String[] {"stoch_k", "stoch_14_3_3", "k"},
                new String[] {"stoch_d", "stoch_14_3_3", "d"});
        int mismatches = 0;
        final StringBuilder first = new StringBuilder();
        for (int row = 0; row < series.rows(); row++) {
            final Recorder.Final bar = out.finals.get(row);
            assertEquals(row + 1, bar.seq());
            assertEquals(series.time(row).toEpochMilli(), bar.start());
            assertEquals(volume[row], bar.volume());
            boolean same = Math.max(high[row], close[row]) == bar.high() && Math.min(low[row], close[row]) == bar.low()
                    && close[row] == bar.close();
            for (final String[] c : columns) {
                final double want = series.value(row, c[0]);
                final double got = bar.indicators()[offsetOf(spec.indicators(), c[1], c[2])];
                same &= Double.doubleToLongBits(want) == Double.doubleToLongBits(got);
            }
            if (!same && mismatches++ < 5) first.append("\n row ").append(row).append(' ').append(bar);
        }
        assertEquals(0, mismatches, csv + ": " + mismatches + " bars differ" + first);
        if (high[0] >= close[0]) assertEquals(high[0], out.finals.get(0).high());
    }

    @Test
    void shouldNotAllocateWhenFeedingTicksInSteadyState() {
        final BarSpec spec = BarSpec.parse("1s,1m,5m", UTC, 2_000L, 250L, EngineSpec.DEFAULT_BARS);
        final StockBars[] stocks = new StockBars[20];
        for (int i = 0; i < stocks.length; i++) stocks[i] = spec.newStockBars("S" + i);
        final BarCloser closer = new BarCloser();
        final BarListener ignore = (series, bar, isFinal, seq, indicators) -> { };
        final long[] clock = {T0};
        final Runnable feed = () -> {
            for (int i = 0; i < 200_000; i++) {
                clock[0] += 37;
                final long jitter = (i % 7) * 150L; // out of order inside the grace
                tick(closer, stocks[i % stocks.length], clock[0] - jitter, 100.0 + (i % 13), i % 5, ignore);
            }
        };
        feed.run(); // warm up: JIT, bar holders, heap
        final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final long tid = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(tid);
        feed.run();
        final long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertTrue(allocated < 16_384, allocated + " bytes allocated over 200,000 ticks");
    }

    static int offsetOf(final EngineSpec spec, final String key, final String part) {
        for (final OutputGroup group : spec.outputs()) {
            if (group.key().equals(key)) return group.offset() + (part == null ? 0 : group.parts().indexOf(part));
        }
        throw new IllegalArgumentException("no key " + key);
    }

    static long[] bits(final double[] values) {
        return Arrays.stream(values).mapToLong(Double::doubleToRawLongBits).toArray();
    }
}
