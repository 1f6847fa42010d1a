package io.tickflow.indicator.ta;

import static io.tickflow.indicator.ta.TaLib.CORE;
import static io.tickflow.indicator.ta.TaLib.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.tictactec.ta.lib.MAType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Incremental engine == TA-Lib 0.4.0 batch (each function run once over the whole series from its first tick), bit for
 * bit, over long generated series and many parameter sets; absent exactly during TA-Lib's look-back.
 */
class TaLibOracleTest {
    private static final int TICKS = 6_000;

    /** Runs one TA-Lib function over {@code in} into {@code out[0..]} and returns its begIdx. */
    private interface Batch {
        int run(double[] in, double[][] out);
    }

    private record Case(String token, int lookback, Batch batch) {
    }

    private static List<Case> cases() {
        final List<Case> cases = new ArrayList<>();
        for (final int p : new int[] {2, 3, 5, 9, 14, 20, 50, 200}) {
            cases.add(new Case("sma:" + p, CORE.smaLookback(p),
                    (in, o) -> call((b, n) -> CORE.sma(0, in.length - 1, in, p, b, n, o[0]))));
            cases.add(new Case("ema:" + p, CORE.emaLookback(p),
                    (in, o) -> call((b, n) -> CORE.ema(0, in.length - 1, in, p, b, n, o[0]))));
            cases.add(new Case("wma:" + p, CORE.wmaLookback(p),
                    (in, o) -> call((b, n) -> CORE.wma(0, in.length - 1, in, p, b, n, o[0]))));
            cases.add(new Case("rsi:" + p, CORE.rsiLookback(p),
                    (in, o) -> call((b, n) -> CORE.rsi(0, in.length - 1, in, p, b, n, o[0]))));
            for (final double dev : new double[] {1.0, 1.5, 3.0}) {
                cases.add(new Case("stddev:" + p + ":" + dev, CORE.stdDevLookback(p, dev),
                        (in, o) -> call((b, n) -> CORE.stdDev(0, in.length - 1, in, p, dev, b, n, o[0]))));
            }
            for (final double[] dev : new double[][] {{2.0, 2.0}, {1.0, 1.0}, {1.0, 3.0}, {2.5, 0.5}}) {
                cases.add(new Case("bbands:" + p + ":" + dev[0] + ":" + dev[1],
                        CORE.bbandsLookback(p, dev[0], dev[1], MAType.Sma),
                        (in, o) -> call((b, n) -> CORE.bbands(0, in.length - 1, in, p, dev[0], dev[1], MAType.Sma,
                                b, n, o[0], o[1], o[2]))));
            }
        }
        for (final int p : new int[] {1, 2, 10, 14, 100}) {
            cases.add(new Case("roc:" + p, CORE.rocLookback(p),
                    (in, o) -> call((b, n) -> CORE.roc(0, in.length - 1, in, p, b, n, o[0]))));
            cases.add(new Case("mom:" + p, CORE.momLookback(p),
                    (in, o) -> call((b, n) -> CORE.mom(0, in.length - 1, in, p, b, n, o[0]))));
        }
        for (final int[] m : new int[][] {{12, 26, 9}, {2, 3, 2}, {5, 35, 5}, {3, 10, 16}, {19, 39, 9}, {25, 26, 2}}) {
            cases.add(new Case("macd:" + m[0] + ":" + m[1] + ":" + m[2], CORE.macdLookback(m[0], m[1], m[2]),
                    (in, o) -> call((b, n) -> CORE.macd(0, in.length - 1, in, m[0], m[1], m[2], b, n,
                            o[0], o[1], o[2]))));
        }
        return cases;
    }

    /** Long generated series: random walks, flat runs, gaps, spikes, prices from 0.0001 to 100,000. */
    static Map<String, double[]> series() {
        final Map<String, double[]> all = new LinkedHashMap<>();
        all.put("walk around 100", walk(1, 100.0, 0.002));
        all.put("walk around 0.0001", walk(2, 0.0001, 0.01));
        all.put("walk around 100000", walk(3, 100_000.0, 0.001));
        all.put("cent ticks", cents(walk(4, 25.0, 0.003)));
        final Random random = new Random(5);
        final double[] flat = walk(5, 50.0, 0.002);
        for (int i = 0; i < flat.length; i++) {
            if (random.nextInt(200) == 0) { // flat run of 30..150 ticks
                final int end = Math.min(flat.length, i + 30 + random.nextInt(120));
                for (int j = i + 1; j < end; j++) flat[j] = flat[i];
                i = end;
            }
        }
        all.put("flat runs", flat);
        final double[] jumpy = walk(6, 80.0, 0.002);
        for (int i = 1; i < jumpy.length; i++) {
            final int r = random.nextInt(100);
            if (r == 0) { // gap: the level moves and stays
                final double factor = 0.5 + 1.5 * random.nextDouble();
                for (int j = i; j < jumpy.length; j++) jumpy[j] *= factor;
            } else if (r == 1) { // one-tick spike
                jumpy[i] *= random.nextBoolean() ? 10.0 : 0.1;
            }
        }
        all.put("gaps and spikes", jumpy);
        final double[] sweep = walk(7, 1.0, 0.003);
        for (int i = 0; i < sweep.length; i++) sweep[i] *= 0.0001 * Math.pow(1e9, i / (double) (sweep.length - 1));
        all.put("sweep 0.0001 to 100000", sweep);
        return all;
    }

    private static double[] walk(final long seed, final double start, final double sigma) {
        final Random random = new Random(seed);
        final double[] x = new double[TICKS];
        double price = start;
        for (int i = 0; i < x.length; i++) {
            price *= Math.exp(sigma * random.nextGaussian());
            x[i] = price;
        }
        return x;
    }

    private static double[] cents(final double[] x) {
        for (int i = 0; i < x.length; i++) x[i] = Math.round(x[i] * 100.0) / 100.0;
        return x;
    }

    @TestFactory
    Stream<DynamicTest> shouldEqualTaLibBitForBitWhenFedGeneratedSeries() {
        final List<DynamicTest> tests = new ArrayList<>();
        for (final Map.Entry<String, double[]> s : series().entrySet()) {
            for (final Case c : cases()) {
                tests.add(DynamicTest.dynamicTest(c.token() + " on " + s.getKey(),
                        () -> assertMatchesTaLib(c, s.getValue(), false)));
            }
        }
        return tests.stream();
    }

    /** Indicators that keep running window totals, which re-seed after a huge input has left them (WindowSums). */
    private static boolean keepsWindowTotals(final Case c) {
        return c.token().matches("(sma|wma|stddev|bbands):.*");
    }

    @TestFactory
    Stream<DynamicTest> shouldPropagateNonFiniteInputLikeTaLibWhenOneArrivesAnyway() {
        final double[] x = walk(8, 100.0, 0.002);
        x[2_000] = Double.NaN;
        x[4_000] = Double.POSITIVE_INFINITY;
        return cases().stream().filter(c -> !keepsWindowTotals(c))
                .map(c -> DynamicTest.dynamicTest(c.token(), () -> assertMatchesTaLib(c, x, true)));
    }

    /**
     * One tick at 1e12 in a series around 100 used to collapse σ to 0 for good, one at 1e155 to turn the bands NaN
     * for good (TA-Lib itself, run over the whole series, stays wrong the same way): one window after the spike, the
     * window indicators equal TA-Lib started on the ticks after it, bit for bit.
     */
    @TestFactory
    Stream<DynamicTest> shouldEqualTaLibStartedAfterASpikeOnceTheSpikeHasLeftTheWindow() {
        final List<DynamicTest> tests = new ArrayList<>();
        for (final double spike : new double[] {1e12, 1e155, Double.NaN, Double.POSITIVE_INFINITY}) {
            final int at = 2_000;
            final double[] x = walk(9, 100.0, 0.002);
            x[at] = spike;
            final double[] after = Arrays.copyOfRange(x, at + 1, x.length);
            for (final Case c : cases()) {
                if (!keepsWindowTotals(c)) continue;
                tests.add(DynamicTest.dynamicTest(c.token() + " after " + spike, () -> {
                    final double[][] out = new double[3][after.length];
                    final int beg = c.batch().run(after, out);
                    final StockEngine engine = EngineSpec.parse(c.token()).newEngine();
                    for (int i = 0; i < x.length; i++) {
                        engine.update(x[i], 1.0);
                        if (i < at + 1 + beg) continue;
                        for (int k = 0; k < engine.values().length; k++) {
                            final double want = out[k][i - at - 1 - beg];
                            final double got = engine.values()[k];
                            if (Double.doubleToLongBits(want) != Double.doubleToLongBits(got)) {
                                fail(c.token() + " output " + k + " at tick " + i + ", " + (i - at) + " after the "
                                        + spike + " spike: TA-Lib from the tick after it " + want + ", engine " + got);
                            }
                        }
                    }
                }));
            }
        }
        return tests.stream();
    }

    private static void assertMatchesTaLib(final Case c, final double[] in, final boolean nanTolerant) {
        final double[][] out = new double[3][in.length];
        final int beg = c.batch().run(in, out);
        assertEquals(c.lookback(), beg, c.token() + " begIdx");
        final StockEngine engine = EngineSpec.parse(c.token()).newEngine();
        final int width = engine.values().length;
        for (int i = 0; i < in.length; i++) {
            engine.update(in[i], 1.0);
            for (int k = 0; k < width; k++) {
                final double got = engine.values()[k];
                if (i < beg) {
                    if (!Double.isNaN(got)) fail(c.token() + " output " + k + " at tick " + i + " must be absent");
                    continue;
                }
                final double want = out[k][i - beg];
                final boolean same = nanTolerant && Double.isNaN(want)
                        ? Double.isNaN(got)
                        : Double.doubleToLongBits(want) == Double.doubleToLongBits(got);
                if (!same) {
                    fail(c.token() + " output " + k + " at tick " + i + ": TA-Lib " + want + ", engine " + got
                            + " (diff " + (got - want) + ")");
                }
            }
        }
    }
}
