package io.tickflow.bench;

import com.tictactec.ta.lib.Core;
import com.tictactec.ta.lib.MAType;
import com.tictactec.ta.lib.MInteger;
import io.tickflow.indicator.ta.EngineSpec;
import io.tickflow.indicator.ta.StockEngine;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
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
import org.ta4j.core.BarSeries;
import org.ta4j.core.BaseBarSeriesBuilder;
import org.ta4j.core.Indicator;
import org.ta4j.core.indicators.EMAIndicator;
import org.ta4j.core.indicators.MACDIndicator;
import org.ta4j.core.indicators.RSIIndicator;
import org.ta4j.core.indicators.SMAIndicator;
import org.ta4j.core.indicators.bollinger.BollingerBandsLowerIndicator;
import org.ta4j.core.indicators.bollinger.BollingerBandsMiddleIndicator;
import org.ta4j.core.indicators.bollinger.BollingerBandsUpperIndicator;
import org.ta4j.core.indicators.helpers.ClosePriceIndicator;
import org.ta4j.core.indicators.statistics.StandardDeviationIndicator;
import org.ta4j.core.num.DoubleNum;
import org.ta4j.core.num.Num;

/**
 * ns per tick for the default indicator set (SMA20, EMA20, RSI14, MACD(12,26,9), BBANDS(20,2)) over 200 stocks
 * round-robin on real SPY prices (each stock from its own offset). One invocation = one tick for each of the 200
 * stocks, so the scores read ns/tick and B/op (with {@code -prof gc}) reads bytes/tick. Peers in the same run:
 * ta4j 0.17 with DoubleNum and a 100-bar cap, and TA-Lib 0.4.0 recomputed over a trailing 100-tick window.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EngineBenchmark {
    static final int STOCKS = 200;
    static final int WINDOW = 100;

    /** Shared cursor logic: tick {@code step} of stock {@code s} is feed[(offset[s] + step) % n]. */
    @State(Scope.Thread)
    public abstract static class Feed {
        PriceFeed feed;
        int[] cursor;

        void loadFeed() {
            feed = PriceFeed.spy();
            cursor = new int[STOCKS];
            for (int s = 0; s < STOCKS; s++) cursor[s] = feed.offset(s, STOCKS);
        }

        /** Advances stock {@code s} and returns the index of its next tick. */
        final int next(final int s) {
            final int i = cursor[s];
            cursor[s] = i + 1 == feed.length() ? 0 : i + 1;
            return i;
        }
    }

    @State(Scope.Thread)
    public static class Ours extends Feed {
        /** The INDICATORS list; {@code -p spec=sma:20} measures one indicator alone. */
        @Param(EngineSpec.DEFAULT)
        public String spec;
        StockEngine[] engines;

        @Setup
        public void setup() {
            loadFeed();
            final EngineSpec spec = EngineSpec.parse(this.spec);
            engines = new StockEngine[STOCKS];
            for (int s = 0; s < STOCKS; s++) {
                engines[s] = spec.newEngine();
                for (int t = 0; t < WINDOW; t++) {
                    final int i = next(s);
                    engines[s].update(feed.price[i], feed.volume[i]);
                }
            }
        }
    }

    @State(Scope.Thread)
    public static class Ta4j extends Feed {
        BarSeries[] series;
        List<List<Indicator<Num>>> indicators;
        ZonedDateTime[] time;

        @Setup
        public void setup() {
            loadFeed();
            series = new BarSeries[STOCKS];
            indicators = new ArrayList<>();
            time = new ZonedDateTime[STOCKS];
            for (int s = 0; s < STOCKS; s++) {
                // as ta4j's docs set a live series up: the Num factory as a function, the cap in the builder
                series[s] = new BaseBarSeriesBuilder().withName("s" + s).withNumTypeOf(DoubleNum::valueOf)
                        .withMaxBarCount(WINDOW).build();
                final ClosePriceIndicator close = new ClosePriceIndicator(series[s]);
                final SMAIndicator sma = new SMAIndicator(close, 20);
                final MACDIndicator macd = new MACDIndicator(close, 12, 26);
                final BollingerBandsMiddleIndicator middle = new BollingerBandsMiddleIndicator(sma);
                final StandardDeviationIndicator sd = new StandardDeviationIndicator(close, 20);
                final Num k = DoubleNum.valueOf(2);
                indicators.add(List.of(sma, new EMAIndicator(close, 20), new RSIIndicator(close, 14), macd,
                        new EMAIndicator(macd, 9), middle, new BollingerBandsUpperIndicator(middle, sd, k),
                        new BollingerBandsLowerIndicator(middle, sd, k)));
                time[s] = ZonedDateTime.parse("2025-07-01T04:00:00Z");
                // Warm up as ta4j's live loop runs: read every indicator at the last bar after each bar added.
                // Adding the 100 bars unread would put the first read after the cap has started evicting: ta4j
                // 0.17's cache then maps the evicted index to the first bar and resets its high-water mark to it, so
                // from then on every tick re-evaluates the recursive indicators (EMA, RSI's averages, MACD) over the
                // whole window (100 EMA20 evaluations per tick instead of 2, about ten times slower).
                for (int t = 0; t < WINDOW; t++) {
                    add(s);
                    final int end = series[s].getEndIndex();
                    for (final Indicator<Num> indicator : indicators.get(s)) indicator.getValue(end);
                }
            }
        }

        void add(final int s) {
            final int i = next(s);
            final Num p = DoubleNum.valueOf(feed.price[i]);
            time[s] = time[s].plusMinutes(1);
            series[s].addBar(time[s], p, p, p, p, DoubleNum.valueOf(feed.volume[i]));
        }
    }

    @State(Scope.Thread)
    public static class TaLib extends Feed {
        final Core core = new Core();
        final MInteger begIdx = new MInteger();
        final MInteger nbElement = new MInteger();
        final double[] out1 = new double[WINDOW];
        final double[] out2 = new double[WINDOW];
        final double[] out3 = new double[WINDOW];
        double[][] windows;

        @Setup
        public void setup() {
            loadFeed();
            windows = new double[STOCKS][WINDOW];
            for (int s = 0; s < STOCKS; s++) {
                for (int t = 0; t < WINDOW; t++) push(s);
            }
        }

        void push(final int s) {
            final double[] w = windows[s];
            System.arraycopy(w, 1, w, 0, WINDOW - 1);
            w[WINDOW - 1] = feed.price[next(s)];
        }
    }

    @Benchmark
    @OperationsPerInvocation(STOCKS)
    public void tickflowEngine(final Ours state, final Blackhole bh) {
        final StockEngine[] engines = state.engines;
        final PriceFeed feed = state.feed;
        for (int s = 0; s < STOCKS; s++) {
            final int i = state.next(s);
            engines[s].update(feed.price[i], feed.volume[i]);
            final double[] values = engines[s].values();
            for (int k = 0; k < values.length; k++) bh.consume(values[k]); // every output, as the peers' rows do
        }
    }

    @Benchmark
    @OperationsPerInvocation(STOCKS)
    public void ta4jDoubleNum(final Ta4j state, final Blackhole bh) {
        for (int s = 0; s < STOCKS; s++) {
            state.add(s);
            final int end = state.series[s].getEndIndex();
            final List<Indicator<Num>> indicators = state.indicators.get(s);
            for (int k = 0; k < indicators.size(); k++) bh.consume(indicators.get(k).getValue(end));
        }
    }

    @Benchmark
    @OperationsPerInvocation(STOCKS)
    public void taLibTrailingWindow(final TaLib state, final Blackhole bh) {
        final Core core = state.core;
        final MInteger b = state.begIdx;
        final MInteger n = state.nbElement;
        final int last = WINDOW - 1;
        for (int s = 0; s < STOCKS; s++) {
            state.push(s);
            final double[] w = state.windows[s];
            core.sma(0, last, w, 20, b, n, state.out1);
            bh.consume(state.out1[n.value - 1]);
            core.ema(0, last, w, 20, b, n, state.out1);
            bh.consume(state.out1[n.value - 1]);
            core.rsi(0, last, w, 14, b, n, state.out1);
            bh.consume(state.out1[n.value - 1]);
            core.macd(0, last, w, 12, 26, 9, b, n, state.out1, state.out2, state.out3);
            bh.consume(state.out3[n.value - 1]);
            core.bbands(0, last, w, 20, 2.0, 2.0, MAType.Sma, b, n, state.out1, state.out2, state.out3);
            bh.consume(state.out1[n.value - 1]);
        }
    }
}
