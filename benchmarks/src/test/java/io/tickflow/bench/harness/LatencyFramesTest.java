package io.tickflow.bench.harness;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LatencyFramesTest {
    private static final String RESULT = "{\"stock_id\":\"S001\",\"seq\":7,\"timestamp\":\"2024-06-02T12:34:56Z\","
            + "\"price\":150.25,\"volume\":1000,\"indicators\":{\"sma_20\":null,\"macd_12_26_9\":{\"macd\":0.12,"
            + "\"signal\":0.1,\"hist\":0.02}},\"ingest_us\":%d,\"computed_us\":%d}";

    private static List<Long> ingest(final String frame) {
        final List<Long> values = new ArrayList<>();
        final int count = LatencyFrames.forEachIngestMicros(frame, values::add);
        assertEquals(values.size(), count);
        return values;
    }

    @Test
    void shouldReadIngestMicrosWhenFrameIsOneUpdate() {
        final String frame = "{\"type\":\"update\",\"data\":"
                + String.format(RESULT, 1717331696123456L, 1717331696124000L) + "}";
        assertEquals("update", LatencyFrames.type(frame));
        assertEquals(List.of(1717331696123456L), ingest(frame));
    }

    @Test
    void shouldReadEveryIngestMicrosWhenUpdatesAreBatched() {
        final String frame = "{\"type\":\"update\",\"data\":[" + String.format(RESULT, 11L, 12L) + ","
                + String.format(RESULT, 21L, 22L) + "," + String.format(RESULT, 31L, 32L) + "]}";
        assertEquals(List.of(11L, 21L, 31L), ingest(frame));
    }

    @Test
    void shouldNotConfuseComputedMicrosWithIngestMicrosWhenBothArePresent() {
        final String frame = "{\"type\":\"update\",\"data\":{\"computed_us\":5,\"ingest_us\":4}}";
        assertEquals(List.of(4L), ingest(frame));
    }

    @Test
    void shouldToleratePrettyPrintingWhenFieldsHaveSpaces() {
        final String frame = "{ \"type\" : \"snapshot\", \"data\" : { \"ingest_us\" : 42 } }";
        assertEquals("snapshot", LatencyFrames.type(frame));
        assertEquals(List.of(42L), ingest(frame));
    }

    @Test
    void shouldFindNothingWhenResultHasNoIngestMicros() {
        assertEquals(List.of(), ingest("{\"type\":\"update\",\"data\":{\"stock_id\":\"S001\",\"ingest_us\":null}}"));
        assertEquals(List.of(), ingest("{\"type\":\"heartbeat\"}"));
    }

    @Test
    void shouldReturnEmptyTypeWhenFrameHasNone() {
        assertEquals("", LatencyFrames.type("S001"));
        assertEquals("", LatencyFrames.type("{\"type\":1}"));
        assertEquals("subscribed", LatencyFrames.type("{\"type\":\"subscribed\",\"id\":1,\"symbols\":[\"S001\"]}"));
    }

    @Test
    void shouldPairIngestAndComputedPerResultWhenUpdatesAreBatched() {
        final String frame = "{\"type\":\"update\",\"data\":[" + String.format(RESULT, 11L, 12L) + ","
                + String.format(RESULT, 21L, 25L) + "]}";
        final List<long[]> stamps = new ArrayList<>();
        assertEquals(2, LatencyFrames.forEachStamps(frame,
                (ingest, computed) -> stamps.add(new long[]{ingest, computed})));
        assertEquals(11L, stamps.get(0)[0]);
        assertEquals(12L, stamps.get(0)[1]);
        assertEquals(21L, stamps.get(1)[0]);
        assertEquals(25L, stamps.get(1)[1]);
    }

    @Test
    void shouldReportNoComputedWhenSomeResultLacksIt() {
        final String frame = "{\"type\":\"update\",\"data\":[{\"ingest_us\":1,\"computed_us\":2},{\"ingest_us\":3}]}";
        final List<Long> computed = new ArrayList<>();
        assertEquals(2, LatencyFrames.forEachStamps(frame, (ingest, c) -> computed.add(c)));
        assertEquals(List.of(0L, 0L), computed);
    }
}
