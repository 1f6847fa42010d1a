package io.tickflow.ingest;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TickBatchParserTest {
    private static final String GOOD = "{\"stock_id\":\"AAPL\",\"timestamp\":\"2024-06-02T12:34:56Z\",\"price\":150.25,\"volume\":1000}";

    private static byte[] bytes(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldReadOneTickWhenBodyIsAnObject() {
        final TickBatchParser.Parsed parsed = TickBatchParser.parseJson(bytes(GOOD));
        assertEquals(List.of(), parsed.errors());
        assertEquals(1, parsed.ticks().size());
        assertEquals("AAPL", parsed.ticks().get(0).stockId());
        assertEquals(150.25, parsed.ticks().get(0).price());
    }

    @Test
    void shouldReportEveryBadElementByIndexWhenArrayHasSeveral() {
        final String body = "[" + GOOD + ","
                + "{\"stock_id\":\"AAPL\",\"timestamp\":\"2024-06-02T12:34:56Z\",\"price\":-1,\"volume\":1},"
                + "{\"stock_id\":\"AAPL\",\"timestamp\":\"2024-06-02T12:34:56Z\",\"price\":{\"nested\":[1,2]},\"volume\":1},"
                + "42,"
                + "[1,2,3],"
                + GOOD + "]";
        final TickBatchParser.Parsed parsed = TickBatchParser.parseJson(bytes(body));
        assertEquals(2, parsed.ticks().size());
        assertEquals(List.of(1, 2, 3, 4), parsed.errors().stream().map(TickBatchParser.TickError::at).toList());
        assertEquals(List.of("price", "price", "", ""),
                parsed.errors().stream().map(TickBatchParser.TickError::field).toList());
        assertTrue(parsed.errors().get(0).message().contains("-1.0"), parsed.errors().get(0).message());
        assertEquals("index", parsed.errors().get(0).position());
    }

    @Test
    void shouldReportSyntaxErrorWhenArrayIsMalformed() {
        final TickBatchParser.Parsed parsed = TickBatchParser.parseJson(bytes("[" + GOOD + ", {\"stock_id\": }]"));
        assertEquals(1, parsed.errors().size());
        assertEquals(1, parsed.errors().get(0).at());
        assertTrue(parsed.errors().get(0).message().startsWith("malformed JSON"), parsed.errors().get(0).message());
    }

    @Test
    void shouldReportTrailingContentWhenObjectIsFollowedByMore() {
        final TickBatchParser.Parsed parsed = TickBatchParser.parseJson(bytes(GOOD + " " + GOOD));
        assertEquals(1, parsed.errors().size());
        assertTrue(parsed.errors().get(0).message().contains("trailing"));
    }

    @Test
    void shouldReportOneBasedLinesAndSkipBlankLinesWhenNdjson() {
        final String body = GOOD + "\r\n\n"
                + "{\"stock_id\":\"AAPL\",\"price\":1,\"volume\":1}\n"
                + "not json\n"
                + "{\"stock_id\":\"bad id!\",\"timestamp\":\"2024-06-02T12:34:56Z\",\"price\":1,\"volume\":1}\n"
                + GOOD;
        final TickBatchParser.Parsed parsed = TickBatchParser.parseNdjson(bytes(body));
        assertEquals(2, parsed.ticks().size());
        assertEquals(List.of(3, 4, 5), parsed.errors().stream().map(TickBatchParser.TickError::at).toList());
        assertEquals(List.of("timestamp", "", "stock_id"),
                parsed.errors().stream().map(TickBatchParser.TickError::field).toList());
        assertEquals("line", parsed.errors().get(0).position());
    }

    @Test
    void shouldFindFirstBadByteWhenBodyIsNotUtf8() {
        assertEquals(-1, TickBatchParser.invalidUtf8Offset(bytes(GOOD)));
        assertEquals(-1, TickBatchParser.invalidUtf8Offset(bytes("{\"stock_id\":\"é€😀\"}")));
        final byte[] bad = bytes("{\"a\":\"xx\"}");
        bad[7] = (byte) 0xC3; // a lead byte followed by an ASCII byte
        assertEquals(7, TickBatchParser.invalidUtf8Offset(bad));
        assertEquals(0, TickBatchParser.invalidUtf8Offset(new byte[]{(byte) 0xFF}));
        assertEquals(1, TickBatchParser.invalidUtf8Offset(new byte[]{'a', (byte) 0xE2, (byte) 0x82}));
    }
}
