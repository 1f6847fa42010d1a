package io.tickflow.indicator.ta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickflow.refdata.RefData;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every reference series (module {@code reference-data}) fed tick by tick from row 0: each TA-Lib column equals the
 * engine's output bit for bit.
 */
class GoldenSeriesTest {
    private static final EngineSpec SPEC =
            EngineSpec.parse("sma:20,ema:20,rsi:14,macd:12:26:9,bbands:20:2,wma:20,stddev:20");

    private static final List<RefColumn> COLUMNS = RefColumn.TICK;

    static Stream<String> csvFiles() {
        return RefData.FILES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("csvFiles")
    void shouldEqualTaLibBitForBitWhenFedTheRefdataSeriesTickByTick(final String csv) {
        final RefData series = RefData.load(csv);
        final double[] price = series.column("price");
        final double[] volume = series.column("volume");
        final double[][] expected = new double[COLUMNS.size()][];
        final int[] offset = new int[COLUMNS.size()];
        for (int c = 0; c < COLUMNS.size(); c++) {
            expected[c] = series.column(COLUMNS.get(c).csv());
            offset[c] = COLUMNS.get(c).offsetIn(SPEC);
        }
        final StockEngine engine = SPEC.newEngine();
        final StringBuilder mismatches = new StringBuilder();
        int count = 0;
        int compared = 0;
        for (int row = 0; row < price.length; row++) {
            engine.update(price[row], volume[row]);
            for (int c = 0; c < COLUMNS.size(); c++) {
                final double want = expected[c][row];
                final double got = engine.values()[offset[c]];
                compared++;
                if (Double.doubleToLongBits(want) != Double.doubleToLongBits(got)) {
                    if (++count <= 10) {
                        mismatches.append("\n row ").append(row).append(' ').append(COLUMNS.get(c).csv())
                                .append(": TA-Lib ").append(want).append(", engine ").append(got);
                    }
                }
            }
        }
        assertTrue(compared > 10 * price.length);
        assertEquals(0, count, series.name() + ": " + count + " cells differ" + mismatches);
        assertEquals(price.length, engine.updates());
    }
}
