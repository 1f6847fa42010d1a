package io.tickflow.indicator.ta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickflow.refdata.RefData;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every reference series (module {@code reference-data}) fed tick by tick from row 0: each TA-Lib column equals the
 * engine's output bit for bit, both for a spec the engine walks indicator by indicator and for the default set, which
 * it updates through a fixed layout.
 */
class GoldenSeriesTest {
    private static final List<EngineSpec> SPECS = List.of(
            EngineSpec.parse("sma:20,ema:20,rsi:14,macd:12:26:9,bbands:20:2,wma:20,stddev:20"),
            EngineSpec.parse(EngineSpec.DEFAULT));

    static Stream<Arguments> csvFilesAndSpecs() {
        return RefData.FILES.stream().flatMap(csv -> SPECS.stream().map(spec -> Arguments.of(csv, spec)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("csvFilesAndSpecs")
    void shouldEqualTaLibBitForBitWhenFedTheRefdataSeriesTickByTick(final String csv, final EngineSpec spec) {
        final List<RefColumn> columns =
                RefColumn.TICK.stream().filter(c -> spec.outputKeys().contains(c.key())).toList();
        final RefData series = RefData.load(csv);
        final double[] price = series.column("price");
        final double[] volume = series.column("volume");
        final double[][] expected = new double[columns.size()][];
        final int[] offset = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            expected[c] = series.column(columns.get(c).csv());
            offset[c] = columns.get(c).offsetIn(spec);
        }
        final StockEngine engine = spec.newEngine();
        final StringBuilder mismatches = new StringBuilder();
        int count = 0;
        int compared = 0;
        for (int row = 0; row < price.length; row++) {
            engine.update(price[row], volume[row]);
            for (int c = 0; c < columns.size(); c++) {
                final double want = expected[c][row];
                final double got = engine.values()[offset[c]];
                compared++;
                if (Double.doubleToLongBits(want) != Double.doubleToLongBits(got)) {
                    if (++count <= 10) {
                        mismatches.append("\n row ").append(row).append(' ').append(columns.get(c).csv())
                                .append(": TA-Lib ").append(want).append(", engine ").append(got);
                    }
                }
            }
        }
        assertTrue(columns.size() >= 9 && compared == columns.size() * price.length);
        assertEquals(0, count, series.name() + ": " + count + " cells differ" + mismatches);
        assertEquals(price.length, engine.updates());
    }
}
