package io.tickflow.ingest;

import io.tickflow.model.InvalidTickException;
import io.tickflow.model.Tick;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TickBatchParserTest {
    private static final String GOOD = "{\"stock_id\":\"AAPL\",\"timestamp\":\"2024-06-02T12:34:56Z\",\"price\":150.25,\"volume\":1000}";

    private static final Consumer<Tick> ANY = tick -> { };

    private static byte[] bytes(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldReadOneTickWhenBodyIsAnObject() {
        final TickBatchParser.Parsed parsed = TickBatchParser.parseJson(bytes(GOOD), ANY);
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
        final TickBatchParser.Parsed parsed = TickBatchParser.parseJson(bytes(body), ANY);
        assertEquals(2, parsed.ticks().size());
        assertEquals(List.of(1, 2, 3, 4), parsed.errors().stream().map(TickBatchParser.TickError::at).toList());
        assertEquals(List.of("price", "price", "", ""),
                parsed.errors().stream().map(TickBatchParser.TickError::field).toList());
        assertTrue(parsed.errors().get(0).message().contains("-1.0"), parsed.errors().get(0).message());
        assertEquals("index", parsed.errors().get(0).position());
    }

    @Test
    void shouldReportSyntaxErrorWhenArrayIsMalformed() {
        final TickBatchParser.Parsed parsed = TickBatchParser.parseJson(bytes("[" + GOOD + ", {\"stock_id\": }]"), ANY);
        assertEquals(1, parsed.errors().size());
        assertEquals(1, parsed.errors().get(0).at());
        assertTrue(parsed.errors().get(0).message().startsWith("malformed JSON"), parsed.errors().get(0).message());
    }

    @Test
    void shouldReportTrailingContentWhenObjectIsFollowedByMore() {
        final TickBatchParser.Parsed parsed = TickBatchParser.parseJson(bytes(GOOD + " " + GOOD), ANY);
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
        final TickBatchParser.Parsed parsed = TickBatchParser.parseNdjson(bytes(body), ANY);
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

    @Test
    void shouldListATickTheCheckRefusesAtItsPositionWhenItPassesTheContract() {
        final Consumer<Tick> noMsft = tick -> {
            if (tick.stockId().equals("MSFT")) throw new InvalidTickException("stock_id", "no MSFT here");
        };
        final TickBatchParser.Parsed parsed = TickBatchParser.parseNdjson(
                bytes(GOOD + "\n\n" + GOOD.replace("AAPL", "MSFT") + "\n"), noMsft);
        assertEquals(1, parsed.ticks().size());
        assertEquals(1, parsed.errors().size());
        assertEquals(3, parsed.errors().get(0).at());
        assertEquals("stock_id", parsed.errors().get(0).field());
    }
}
