package io.tickflow.indicator.ta;

import static io.tickflow.indicator.ta.TaLib.CORE;
import static io.tickflow.indicator.ta.TaLib.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.tictactec.ta.lib.MAType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link BarEngine} == TA-Lib 0.4.0 batch (each function run once over the whole bar series from its first bar), bit
 * for bit, over long generated OHLCV series and many parameter sets: the range indicators (ATR, STOCH, ADX, CCI,
 * WILLR, OBV, MFI) and close-only ones fed each bar's close; absent exactly during TA-Lib's look-back.
 */
class BarTaLibOracleTest {
    private static final int BARS = 6_000;

    /** One generated OHLCV series. */
    record Ohlcv(double[] high, double[] low, double[] close, double[] volume) {
        int length() {
            return close.length;
        }
    }

    private interface Batch {
        int run(Ohlcv in, double[][] out);
    }

    private record Case(String token, int lookback, Batch batch) {
    }

    private static List<Case> cases() {
        final List<Case> cases = new ArrayList<>();
        for (final int p : new int[] {1, 2, 3, 5, 14, 20, 50, 200}) {
            cases.add(new Case("atr:" + p, CORE.atrLookback(p), (in, o) -> call((b, n) ->
                    CORE.atr(0, in.length() - 1, in.high(), in.low(), in.close(), p, b, n, o[0]))));
            if (p < 2) continue;
            cases.add(new Case("adx:" + p, CORE.adxLookback(p), (in, o) -> call((b, n) ->
                    CORE.adx(0, in.length() - 1, in.high(), in.low(), in.close(), p, b, n, o[0]))));
            cases.add(new Case("cci:" + p, CORE.cciLookback(p), (in, o) -> call((b, n) ->
                    CORE.cci(0, in.length() - 1, in.high(), in.low(), in.close(), p, b, n, o[0]))));
            cases.add(new Case("willr:" + p, CORE.willRLookback(p), (in, o) -> call((b, n) ->
                    CORE.willR(0, in.length() - 1, in.high(), in.low(), in.close(), p, b, n, o[0]))));
            cases.add(new Case("mfi:" + p, CORE.mfiLookback(p), (in, o) -> call((b, n) ->
                    CORE.mfi(0, in.length() - 1, in.high(), in.low(), in.close(), in.volume(), p, b, n, o[0]))));
        }
        for (final int[] s : new int[][] {{14, 3, 3}, {5, 3, 3}, {1, 1, 1}, {2, 1, 4}, {9, 5, 2}, {50, 10, 20}}) {
            cases.add(new Case("stoch:" + s[0] + ":" + s[1] + ":" + s[2],
                    CORE.stochLookback(s[0], s[1], MAType.Sma, s[2], MAType.Sma), (in, o) -> call((b, n) ->
                    CORE.stoch(0, in.length() - 1, in.high(), in.low(), in.close(), s[0], s[1], MAType.Sma, s[2],
                            MAType.Sma, b, n, o[0], o[1]))));
        }
        cases.add(new Case("obv", CORE.obvLookback(), (in, o) -> call((b, n) ->
                CORE.obv(0, in.length() - 1, in.close(), in.volume(), b, n, o[0]))));
        cases.add(new Case("sma:20", CORE.smaLookback(20), (in, o) -> call((b, n) ->
                CORE.sma(0, in.length() - 1, in.close(), 20, b, n, o[0]))));
        cases.add(new Case("rsi:14", CORE.rsiLookback(14), (in, o) -> call((b, n) ->
                CORE.rsi(0, in.length() - 1, in.close(), 14, b, n, o[0]))));
        cases.add(new Case("macd:12:26:9", CORE.macdLookback(12, 26, 9), (in, o) -> call((b, n) ->
                CORE.macd(0, in.length() - 1, in.close(), 12, 26, 9, b, n, o[0], o[1], o[2]))));
        cases.add(new Case("bbands:20:2", CORE.bbandsLookback(20, 2.0, 2.0, MAType.Sma), (in, o) -> call((b, n) ->
                CORE.bbands(0, in.length() - 1, in.close(), 20, 2.0, 2.0, MAType.Sma, b, n, o[0], o[1], o[2]))));
        return cases;
    }

    /** Long generated bar series: random walks at several price levels, cent prices, flat runs, gaps and spikes. */
    static Map<String, Ohlcv> series() {
        final Map<String, Ohlcv> all = new LinkedHashMap<>();
        all.put("walk around 100", bars(1, 100.0, 0.002, false, 0));
        all.put("walk around 0.0001", bars(2, 0.0001, 0.01, false, 0));
        all.put("walk around 100000", bars(3, 100_000.0, 0.001, false, 0));
        all.put("cent bars", bars(4, 25.0, 0.003, true, 0));
        all.put("flat runs", bars(5, 50.0, 0.002, true, 200));
        all.put("gaps and spikes", bars(6, 80.0, 0.004, false, 0));
        return all;
    }

    /**
     * Bars of a random walk: open = previous close, high/low beyond both by a random margin; volumes from 0 (some
     * bars), fractional (below MFI's 1.0 floor) to large. {@code flatEvery} > 0 puts flat runs (high = low = close,
     * constant) of 30..150 bars in, about one in {@code flatEvery}.
     */
    static Ohlcv bars(final long seed, final double start, final double sigma, final boolean cents, final int flatEvery) {
        final Random random = new Random(seed);
        final double[] high = new double[BARS];
        final double[] low = new double[BARS];
        final double[] close = new double[BARS];
        final double[] volume = new double[BARS];
        double price = start;
        for (int i = 0; i < BARS; i++) {
            final double open = price;
            price *= Math.exp(sigma * random.nextGaussian());
            // gaps of ×3 or ×0.3 back towards the start: a level that drifted a millionfold away would make TA-Lib's
            // own running totals lose the precision at which the engine re-seeds them (WindowSums)
            if (seed == 6 && random.nextInt(100) == 0) price *= price < start ? 3.0 : 0.3;
            double h = Math.max(open, price) * (1 + Math.abs(sigma * random.nextGaussian()));
            double l = Math.min(open, price) * (1 - Math.abs(sigma * random.nextGaussian()));
            double c = price;
            if (cents) {
                h = Math.ceil(h * 100.0) / 100.0;
                l = Math.floor(l * 100.0) / 100.0;
                c = Math.round(c * 100.0) / 100.0;
            }
            high[i] = h;
            low[i] = l;
            close[i] = c;
            final int r = random.nextInt(20);
            volume[i] = r == 0 ? 0.0 : r == 1 ? random.nextDouble() * 0.01 : Math.floor(random.nextDouble() * 50_000);
        }
        if (flatEvery > 0) {
            for (int i = 1; i < BARS; i++) {
                if (random.nextInt(flatEvery) == 0) {
                    final int end = Math.min(BARS, i + 30 + random.nextInt(120));
                    for (int j = i; j < end; j++) {
                        high[j] = close[i - 1];
                        low[j] = close[i - 1];
                        close[j] = close[i - 1];
                    }
                    i = end;
                }
            }
        }
        return new Ohlcv(high, low, close, volume);
    }

    @TestFactory
    Stream<DynamicTest> shouldEqualTaLibBitForBitWhenFedGeneratedBars() {
        final List<DynamicTest> tests = new ArrayList<>();
        for (final Map.Entry<String, Ohlcv> s : series().entrySet()) {
            for (final Case c : cases()) {
                tests.add(DynamicTest.dynamicTest(c.token() + " on " + s.getKey(),
                        () -> assertMatchesTaLib(c, s.getValue())));
            }
        }
        return tests.stream();
    }

    private static void assertMatchesTaLib(final Case c, final Ohlcv in) {
        final double[][] out = new double[3][in.length()];
        final int beg = c.batch().run(in, out);
        assertEquals(c.lookback(), beg, c.token() + " begIdx");
        final BarEngine engine = EngineSpec.parseBars(c.token()).newBarEngine();
        final int width = engine.values().length;
        int compared = 0;
        for (int i = 0; i < in.length(); i++) {
            engine.update(in.high()[i], in.low()[i], in.close()[i], in.volume()[i]);
            for (int k = 0; k < width; k++) {
                final double got = engine.values()[k];
                if (i < beg) {
                    if (!Double.isNaN(got)) fail(c.token() + " output " + k + " at bar " + i + " must be absent");
                    continue;
                }
                final double want = out[k][i - beg];
                compared++;
                if (Double.doubleToLongBits(want) != Double.doubleToLongBits(got)) {
                    fail(c.token() + " output " + k + " at bar " + i + ": TA-Lib " + want + ", engine " + got
                            + " (diff " + (got - want) + ")");
                }
            }
        }
        assertTrue(compared > 0);
    }
}
