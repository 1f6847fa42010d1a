package io.tickflow.bench;

import io.tickflow.indicator.ta.EngineSpec;
import io.tickflow.indicator.ta.StockEngine;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The EngineBenchmark workload for our engine (200 stocks round-robin on SPY), timed in this thread's CPU time
 * rather than wall-clock time, so that a machine shared with other work still gives a steady figure: time the thread
 * was descheduled is not counted (cache pollution from neighbours still is).
 * Usage: {@code java -cp benchmarks/target/benchmarks.jar io.tickflow.bench.EngineCpuTime [INDICATORS]}.
 */
public final class EngineCpuTime {
    private static final int STOCKS = 200;
    private static final int ROUNDS = 15;
    private static final int WARMUP_ROUNDS = 5;
    private static final int TICKS_PER_STOCK_PER_ROUND = 20_000;

    private EngineCpuTime() {
    }

    public static void main(final String[] args) {
        final EngineSpec spec = EngineSpec.parse(args.length > 0 ? args[0] : EngineSpec.DEFAULT);
        final PriceFeed feed = PriceFeed.spy();
        final StockEngine[] engines = new StockEngine[STOCKS];
        final int[] cursor = new int[STOCKS];
        for (int s = 0; s < STOCKS; s++) {
            engines[s] = spec.newEngine();
            cursor[s] = feed.offset(s, STOCKS);
        }
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final StringBuilder report = new StringBuilder(spec.canonical()).append(": ns/tick (thread CPU time) per round:");
        for (int round = 0; round < ROUNDS; round++) {
            final long start = threads.getCurrentThreadCpuTime();
            for (int t = 0; t < TICKS_PER_STOCK_PER_ROUND; t++) {
                for (int s = 0; s < STOCKS; s++) {
                    final int i = cursor[s];
                    cursor[s] = i + 1 == feed.length() ? 0 : i + 1;
                    engines[s].update(feed.price[i], feed.volume[i]); // writes into heap state: never dead code
                }
            }
            final double nsPerTick = (threads.getCurrentThreadCpuTime() - start)
                    / (double) (TICKS_PER_STOCK_PER_ROUND * STOCKS);
            if (round >= WARMUP_ROUNDS) report.append(String.format(" %.1f", nsPerTick));
        }
        System.out.println(report);
    }
}
