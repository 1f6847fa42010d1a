package io.tickflow.bench;

import io.tickflow.indicator.bars.BarCloser;
import io.tickflow.indicator.bars.BarListener;
import io.tickflow.indicator.bars.BarSpec;
import io.tickflow.indicator.bars.StockBars;
import io.tickflow.indicator.ta.EngineSpec;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.ZoneId;

/**
 * The BarBenchmark workload (200 stocks on one partition round-robin on SPY, stream time +5 ms per tick, BARS
 * {@code 1m,5m}, default BAR_INDICATORS, 2 s grace) timed in this thread's CPU time, like {@link EngineCpuTime}:
 * once with the default BAR_UPDATE_INTERVAL, 1 s (each stock trades once a second, so every tick still sends a
 * forming update per interval: the worst case of the throttle) and once with forming updates off.
 * Usage: {@code java -cp benchmarks/target/benchmarks.jar io.tickflow.bench.BarCpuTime [BARS]}.
 */
public final class BarCpuTime {
    private static final int STOCKS = 200;
    private static final int ROUNDS = 15;
    private static final int WARMUP_ROUNDS = 5;
    private static final int TICKS_PER_STOCK_PER_ROUND = 10_000;

    private static double sink;

    private BarCpuTime() {
    }

    public static void main(final String[] args) {
        final String bars = args.length > 0 ? args[0] : io.tickflow.indicator.bars.BarInterval.DEFAULT;
        for (final long updateMillis : new long[] {BarSpec.DEFAULT_UPDATE_INTERVAL_MILLIS, Long.MAX_VALUE / 4}) {
            run(BarSpec.parse(bars, ZoneId.of("UTC"), BarSpec.DEFAULT_GRACE_MILLIS, updateMillis,
                    EngineSpec.DEFAULT_BARS), updateMillis == BarSpec.DEFAULT_UPDATE_INTERVAL_MILLIS);
        }
        if (sink == 42.0) System.out.println(); // keeps the listener's work alive
    }

    private static void run(final BarSpec spec, final boolean forming) {
        final PriceFeed feed = PriceFeed.spy();
        final StockBars[] stocks = new StockBars[STOCKS];
        final int[] cursor = new int[STOCKS];
        for (int s = 0; s < STOCKS; s++) {
            stocks[s] = spec.newStockBars("S" + s);
            cursor[s] = feed.offset(s, STOCKS);
        }
        final BarCloser closer = new BarCloser();
        final BarListener listener = (series, bar, isFinal, seq, indicators) -> sink += indicators[0];
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final StringBuilder report = new StringBuilder(spec.canonical())
                .append(forming ? "" : " (no forming updates)").append(": ns/tick (thread CPU time) per round:");
        long time = 1_751_342_400_000L; // 2025-07-01T04:00:00Z
        for (int round = 0; round < ROUNDS; round++) {
            final long start = threads.getCurrentThreadCpuTime();
            for (int t = 0; t < TICKS_PER_STOCK_PER_ROUND; t++) {
                for (int s = 0; s < STOCKS; s++) {
                    final int i = cursor[s];
                    cursor[s] = i + 1 == feed.length() ? 0 : i + 1;
                    time += 5;
                    closer.onTick(stocks[s], time, feed.price[i], feed.volume[i], listener);
                    closer.sendForming(listener); // after every tick: no conflation
                }
            }
            final double nsPerTick = (threads.getCurrentThreadCpuTime() - start)
                    / (double) (TICKS_PER_STOCK_PER_ROUND * STOCKS);
            if (round >= WARMUP_ROUNDS) report.append(String.format(" %.1f", nsPerTick));
        }
        System.out.println(report);
    }
}
