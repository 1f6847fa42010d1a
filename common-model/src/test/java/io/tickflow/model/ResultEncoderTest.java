package io.tickflow.model;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultEncoderTest {
    private static final Instant T = Instant.parse("2024-06-02T12:34:56Z");

    @Test
    void shouldWriteTheContractFormatAndRoundTripBitExactlyWhenIndicatorsAreNullOrNested() {
        final ResultEncoder encoder = new ResultEncoder(List.of("sma_20", "ema_20", "rsi_14", "macd_12_26_9",
                "bbands_20_2"), List.of(List.of(), List.of(), List.of(), List.of("macd", "signal", "hist"),
                List.of("upper")));
        final double[] values = {150.11, Double.NaN, 61.3, 0.12000000000000001, Double.NaN, -0.0, 1e-320};

        final byte[] encoded = encoder.encode("AAPL", 1234, T, 150.25, 1000, values,
                1717331696000001L, 1717331696000777L);

        assertEquals("{\"stock_id\":\"AAPL\",\"seq\":1234,\"timestamp\":\"2024-06-02T12:34:56Z\",\"price\":150.25,"
                + "\"volume\":1000,\"indicators\":{\"sma_20\":150.11,\"ema_20\":null,\"rsi_14\":61.3,"
                + "\"macd_12_26_9\":{\"macd\":0.12000000000000001,\"signal\":null,\"hist\":-0.0},"
                + "\"bbands_20_2\":{\"upper\":1.0E-320}},\"ingest_us\":1717331696000001,"
                + "\"computed_us\":1717331696000777}", new String(encoded, StandardCharsets.UTF_8));
        final IndicatorResult back = IndicatorResult.decode(encoded);
        assertEquals(Double.doubleToRawLongBits(-0.0),
                Double.doubleToRawLongBits((Double) ((Map<?, ?>) back.indicators().get("macd_12_26_9")).get("hist")));
        assertNull(back.indicators().get("ema_20"));
        assertTrue(back.indicators().containsKey("ema_20"));
        assertArrayEquals(encoded, back.encode());
        assertEquals(7, encoder.width());
    }

    @Test
    void shouldLeaveTimingOutAndReuseItsBufferWhenEncodingManyDocuments() {
        final ResultEncoder encoder = new ResultEncoder(List.of("rsi_14"), List.of(List.of()));
        final byte[] first = encoder.encode("AAPL", 1, T, 1.5, 2.25, new double[]{Double.POSITIVE_INFINITY}, 0, 0);
        final byte[] second = encoder.encode("MSFT", 2, T, 3, 4, new double[]{50}, 0, 0);

        assertEquals("{\"stock_id\":\"AAPL\",\"seq\":1,\"timestamp\":\"2024-06-02T12:34:56Z\",\"price\":1.5,"
                + "\"volume\":2.25,\"indicators\":{\"rsi_14\":null}}", new String(first, StandardCharsets.UTF_8));
        assertEquals("{\"stock_id\":\"MSFT\",\"seq\":2,\"timestamp\":\"2024-06-02T12:34:56Z\",\"price\":3,"
                + "\"volume\":4,\"indicators\":{\"rsi_14\":50.0}}", new String(second, StandardCharsets.UTF_8));
    }

    @Test
    void shouldRejectALayoutWhenKeysAndPartsDiffer() {
        assertThrows(IllegalArgumentException.class, () -> new ResultEncoder(List.of("a", "b"), List.of(List.of())));
    }

    @Test
    void shouldEncodeAFixtureResultLikeTheServicesWhenGivenAMap() {
        final Map<String, Object> indicators = new LinkedHashMap<>();
        indicators.put("rsi_14", Double.NaN);
        final IndicatorResult result = new IndicatorResult("AAPL", 1, T, 1, 1, indicators, 0, 0);

        final IndicatorResult back = IndicatorResult.decode(result.encode());

        assertNull(back.indicators().get("rsi_14"));
        assertEquals(0L, back.ingestMicros());
    }
}
