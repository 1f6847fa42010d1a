package io.tickflow.indicator;

import io.tickflow.indicator.bars.Bar;
import io.tickflow.indicator.bars.BarCloser;
import io.tickflow.indicator.bars.BarSpec;
import io.tickflow.indicator.bars.StockBars;
import io.tickflow.model.BarEncoder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The bar record: DESIGN.md's field order, integral numbers without a fraction, null until the look-back is filled,
 * vwap null when the bar's volume is 0.
 */
class BarEncoderTest {
    private static final long T0 = Instant.parse("2024-06-02T12:34:00Z").toEpochMilli();

    @Test
    void shouldWriteTheContractsFieldsWithNullUntilTheLookBackAndNullVwapWhenVolumeIsZero() {
        final BarSpec spec = BarSpec.parse("1m", ZoneId.of("UTC"), 2_000, 250, "sma:2,stoch:2:1:1");
        final BarEncoder encoder = new BarEncoder(spec.indicators().outputKeys(), spec.indicators().outputParts());
        final StockBars bars = spec.newStockBars("AAPL");
        final BarCloser closer = new BarCloser();
        final List<String> finals = new ArrayList<>();
        final double[][] ticks = {{0, 150.1, 0}, {10_000, 150.4, 0}, {20_000, 150.0, 0}, {30_000, 150.25, 0},
                {62_000, 151, 10}, {70_000, 152.5, 30}, {124_000, 150, 1}};
        for (double[] t : ticks) {
            closer.onTick(bars, T0 + (long) t[0], t[1], t[2], (series, bar, fin, seq, ind) -> {
                if (fin) finals.add(text(encoder, series.stockId(), series.interval().name(), bar, seq, ind));
            });
        }
        assertEquals("{\"stock_id\":\"AAPL\",\"interval\":\"1m\",\"start\":\"2024-06-02T12:34:00Z\","
                + "\"end\":\"2024-06-02T12:35:00Z\",\"open\":150.1,\"high\":150.4,\"low\":150,\"close\":150.25,"
                + "\"volume\":0,\"trades\":4,\"vwap\":null,\"final\":true,\"seq\":1,"
                + "\"indicators\":{\"sma_2\":null,\"stoch_2_1_1\":{\"k\":null,\"d\":null}}}", finals.get(0));
        assertEquals("{\"stock_id\":\"AAPL\",\"interval\":\"1m\",\"start\":\"2024-06-02T12:35:00Z\","
                + "\"end\":\"2024-06-02T12:36:00Z\",\"open\":151,\"high\":152.5,\"low\":151,\"close\":152.5,"
                + "\"volume\":40,\"trades\":2,\"vwap\":" + ((151.0 * 10 + 152.5 * 30) / 40) + ",\"final\":true,"
                + "\"seq\":2,\"indicators\":{\"sma_2\":" + ((150.25 + 152.5) / 2) + ",\"stoch_2_1_1\":{\"k\":"
                + (100 * (152.5 - 150.0) / (152.5 - 150.0)) + ",\"d\":" + (100 * (152.5 - 150.0) / (152.5 - 150.0))
                + "}}}", finals.get(1));
    }

    private static String text(final BarEncoder encoder, final String stock, final String interval, final Bar bar,
                               final long seq, final double[] indicators) {
        return new String(encoder.encode(stock, interval, bar, true, seq, indicators), StandardCharsets.UTF_8);
    }
}
