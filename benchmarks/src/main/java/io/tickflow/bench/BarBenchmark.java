package io.tickflow.bench;

import io.tickflow.indicator.bars.BarCloser;
import io.tickflow.indicator.bars.BarListener;
import io.tickflow.indicator.bars.BarSpec;
import io.tickflow.indicator.bars.StockBars;
import io.tickflow.indicator.ta.EngineSpec;
import java.time.ZoneId;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * ns per tick of the bar engine: {@code BARS} (default {@code 1m,5m}) with the default BAR_INDICATORS, 2 s grace and
 * 250 ms forming updates, for 200 stocks on one partition round-robin on real SPY prices, stream time moving 5 ms per
 * tick (each stock trades once a second: a forming update per tick and interval, a final bar per minute). One
 * invocation = one tick for each of the 200 stocks; {@code -prof gc} reads bytes/tick.
 * {@code java -jar benchmarks/target/benchmarks.jar BarBenchmark -prof gc -f 1 -wi 3 -i 5}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BarBenchmark {
    static final int STOCKS = 200;

    @State(Scope.Thread)
    public static class Bars {
        @Param("1m,5m")
        public String bars;
        /** BAR_UPDATE_INTERVAL in ms; {@code -p updateMillis=1000000000} measures bars without forming updates. */
        @Param("250")
        public long updateMillis;
        PriceFeed feed;
        int[] cursor;
        StockBars[] stocks;
        BarCloser closer;
        long time = 1_751_342_400_000L; // 2025-07-01T04:00:00Z
        Blackhole blackhole;
        BarListener listener;

        @Setup
        public void setup(final Blackhole bh) {
            feed = PriceFeed.spy();
            cursor = new int[STOCKS];
            stocks = new StockBars[STOCKS];
            final BarSpec spec = BarSpec.parse(bars, ZoneId.of("UTC"), BarSpec.DEFAULT_GRACE_MILLIS,
                    updateMillis, EngineSpec.DEFAULT_BARS);
            for (int s = 0; s < STOCKS; s++) {
                cursor[s] = feed.offset(s, STOCKS);
                stocks[s] = spec.newStockBars("S" + s);
            }
            closer = new BarCloser();
            blackhole = bh;
            listener = (series, bar, isFinal, seq, indicators) -> blackhole.consume(indicators[0]);
        }

        final int next(final int s) {
            final int i = cursor[s];
            cursor[s] = i + 1 == feed.length() ? 0 : i + 1;
            return i;
        }
    }

    @Benchmark
    @OperationsPerInvocation(STOCKS)
    public void barsPerTick(final Bars state, final Blackhole bh) {
        final PriceFeed feed = state.feed;
        final BarCloser closer = state.closer;
        for (int s = 0; s < STOCKS; s++) {
            final int i = state.next(s);
            state.time += 5;
            bh.consume(closer.onTick(state.stocks[s], state.time, feed.price[i], feed.volume[i], state.listener));
            closer.sendForming(state.listener); // after every tick: no conflation, the per-tick worst case
        }
    }
}
