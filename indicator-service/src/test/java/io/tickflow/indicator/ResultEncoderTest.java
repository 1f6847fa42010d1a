package io.tickflow.indicator;

import io.tickflow.indicator.ta.EngineSpec;
import io.tickflow.indicator.ta.StockEngine;
import io.tickflow.model.IndicatorResult;
import io.tickflow.model.ResultEncoder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The engine's values through the layout a lane gives the encoder (EngineSpec's outputs). */
class ResultEncoderTest {
    private static final Instant TS = Instant.parse("2024-06-02T12:34:56Z");

    @Test
    void shouldWriteNullWhenLookBackIsNotFilled() {
        final EngineSpec spec = EngineSpec.parse("sma:3,macd:2:3:2");
        final StockEngine engine = spec.newEngine();
        engine.update(150.25, 1000);
        final byte[] json = new ResultEncoder(spec.outputKeys(), spec.outputParts())
                .encode("AAPL", 1, TS, 150.25, 1000, engine.values(), 7, 9);
        assertEquals("{\"stock_id\":\"AAPL\",\"seq\":1,\"timestamp\":\"2024-06-02T12:34:56Z\",\"price\":150.25,"
                + "\"volume\":1000,\"indicators\":{\"sma_3\":null,\"macd_2_3_2\":{\"macd\":null,\"signal\":null,"
                + "\"hist\":null}},\"ingest_us\":7,\"computed_us\":9}", new String(json, StandardCharsets.UTF_8));
    }

    @Test
    void shouldRoundTripTheEngineValuesExactlyWhenValuesAreRandom() {
        final EngineSpec spec = EngineSpec.parse(EngineSpec.DEFAULT);
        final StockEngine engine = spec.newEngine();
        final ResultEncoder encoder = new ResultEncoder(spec.outputKeys(), spec.outputParts()); // reused, as in a lane
        assertEquals(spec.width(), encoder.width());
        final Random random = new Random(42);
        double price = 100;
        for (int seq = 1; seq <= 300; seq++) {
            price = Math.max(0.01, price + random.nextGaussian());
            final double volume = seq % 2 == 0 ? random.nextInt(10_000) : random.nextDouble() * 100;
            engine.update(price, volume);
            final byte[] json = encoder.encode("AAPL", seq, TS.plusSeconds(seq), price, volume, engine.values(),
                    0, 123_456_789L);
            final IndicatorResult decoded = IndicatorResult.decode(json);
            assertEquals(new IndicatorResult("AAPL", seq, TS.plusSeconds(seq), price, volume,
                    indicators(spec, engine.values()), 0, 123_456_789L), decoded, "seq " + seq); // Double.equals: bitwise
            assertArrayEquals(decoded.encode(), json, "seq " + seq);
        }
    }

    private static Map<String, Object> indicators(final EngineSpec spec, final double[] values) {
        final Map<String, Object> out = new LinkedHashMap<>();
        spec.outputs().forEach(g -> {
            if (g.parts().isEmpty()) {
                out.put(g.key(), Double.isNaN(values[g.offset()]) ? null : values[g.offset()]);
            } else {
                final Map<String, Double> parts = new LinkedHashMap<>();
                for (int p = 0; p < g.parts().size(); p++) {
                    final double v = values[g.offset() + p];
                    parts.put(g.parts().get(p), Double.isNaN(v) ? null : v);
                }
                out.put(g.key(), parts);
            }
        });
        return out;
    }
}
