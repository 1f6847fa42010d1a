package io.tickflow.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTest {
    private static final String SEED =
            "{\"stock_id\":\"AAPL\",\"timestamp\":\"2024-06-02T12:34:56Z\",\"price\":150.25,\"volume\":1000}";
    private static final Instant T = Instant.parse("2024-06-02T12:34:56Z");

    @Test
    void shouldRoundTripTheSeedFormatByteForByteWhenDecodingThenEncoding() {
        final Tick tick = Json.decodeTick(bytes(SEED));

        assertEquals(Tick.of("AAPL", T, 150.25, 1000), tick);
        assertEquals(SEED, new String(Json.encodeTick(tick), StandardCharsets.UTF_8));
    }

    @Test
    void shouldReadEpochMillisWhenTimestampIsANumber() {
        final Tick tick = Json.decodeTick(bytes(
                "{\"stock_id\":\"AAPL\",\"timestamp\":1717331696123,\"price\":150.25,\"volume\":1000}"));

        assertEquals(Instant.parse("2024-06-02T12:34:56.123Z"), tick.timestamp());
    }

    @Test
    void shouldIgnoreUnknownFieldsAndCarryIngestMicrosWhenPresent() {
        final Tick tick = Json.decodeTick(bytes("{\"exchange\":{\"mic\":[\"XNAS\"]},\"stock_id\":\"AAPL\","
                + "\"timestamp\":\"2024-06-02T12:34:56Z\",\"price\":150.25,\"volume\":0,\"ingest_us\":1717331696000001}"));

        assertEquals(1717331696000001L, tick.ingestMicros());
        assertEquals("{\"stock_id\":\"AAPL\",\"timestamp\":\"2024-06-02T12:34:56Z\",\"price\":150.25,\"volume\":0,"
                + "\"ingest_us\":1717331696000001}", new String(Json.encodeTick(tick), StandardCharsets.UTF_8));
    }

    @Test
    void shouldRoundTripAwkwardDoublesBitExactlyWhenEncodingTicks() {
        for (double price : new double[] {0.1, 1e-7, 123456.78901234567, Double.MIN_VALUE, 9.007199254740993E15,
                1e300, Math.nextUp(150.25)}) {
            final Tick tick = new Tick("X", T.plusNanos(1), price, price, 42L);
            final Tick back = Json.decodeTick(Json.encodeTick(tick));
            assertEquals(Double.doubleToRawLongBits(price), Double.doubleToRawLongBits(back.price()), "price " + price);
            assertEquals(tick, back);
        }
    }

    @Test
    void shouldRoundTripAMillionRandomDoublesBitExactlyThroughTheFastWriterAndParser() {
        final java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (int i = 0; i < 1_000_000; i++) {
            // random bit patterns cover every exponent; a random walk near 100 covers realistic prices
            final double bits = Double.longBitsToDouble(random.nextLong() & Long.MAX_VALUE);
            final double price = Double.isFinite(bits) && bits > 0 ? bits : 100 + random.nextGaussian();
            final Tick back = Json.decodeTick(Json.encodeTick(new Tick("X", T, price, price, 42L)));
            assertEquals(Double.doubleToRawLongBits(price), Double.doubleToRawLongBits(back.price()), "price " + price);
        }
    }

    static Stream<Arguments> badTicks() {
        return Stream.of(
                // field, document, text the message must contain
                Arguments.of("stock_id", "{\"timestamp\":\"2024-06-02T12:34:56Z\",\"price\":1,\"volume\":1}", "required"),
                Arguments.of("timestamp", "{\"stock_id\":\"AAPL\",\"price\":1,\"volume\":1}", "required"),
                Arguments.of("price", "{\"stock_id\":\"AAPL\",\"timestamp\":1,\"volume\":1}", "required"),
                Arguments.of("volume", "{\"stock_id\":\"AAPL\",\"timestamp\":1,\"price\":1}", "required"),
                Arguments.of("stock_id", tick("123", "\"2024-06-02T12:34:56Z\"", "1", "1"), "123"),
                Arguments.of("stock_id", tick("\"AA PL\"", "\"2024-06-02T12:34:56Z\"", "1", "1"), "AA PL"),
                Arguments.of("stock_id", tick("\"" + "A".repeat(33) + "\"", "1", "1", "1"), "A".repeat(33)),
                Arguments.of("stock_id", tick("\"\"", "1", "1", "1"), "\"\""),
                Arguments.of("timestamp", tick("\"AAPL\"", "\"yesterday\"", "1", "1"), "yesterday"),
                Arguments.of("timestamp", tick("\"AAPL\"", "\"2024-06-02 12:34:56\"", "1", "1"), "2024-06-02 12:34:56"),
                Arguments.of("timestamp", tick("\"AAPL\"", "-5", "1", "1"), "-5"),
                Arguments.of("timestamp", tick("\"AAPL\"", "true", "1", "1"), "true"),
                Arguments.of("timestamp", tick("\"AAPL\"", "99999999999999999999", "1", "1"), "99999999999999999999"),
                Arguments.of("price", tick("\"AAPL\"", "1", "\"150.25\"", "1"), "150.25"),
                Arguments.of("price", tick("\"AAPL\"", "1", "null", "1"), "null"),
                Arguments.of("price", tick("\"AAPL\"", "1", "0", "1"), "0"),
                Arguments.of("price", tick("\"AAPL\"", "1", "-150.25", "1"), "-150.25"),
                Arguments.of("price", tick("\"AAPL\"", "1", "1e999", "1"), "Infinity"),
                Arguments.of("price", tick("\"AAPL\"", "1", "[1]", "1"), "array"),
                Arguments.of("volume", tick("\"AAPL\"", "1", "1", "-1"), "-1"),
                Arguments.of("volume", tick("\"AAPL\"", "1", "1", "false"), "false"),
                Arguments.of("ingest_us", "{\"stock_id\":\"AAPL\",\"timestamp\":1,\"price\":1,\"volume\":1,"
                        + "\"ingest_us\":1.5}", "1.5"),
                Arguments.of("price", "{\"stock_id\":\"AAPL\",\"timestamp\":1,\"price\":1,\"volume\":1,"
                        + "\"price\":-1}", "price"),
                Arguments.of("stock_id", "{\"stock_id\":\"AAPL\",\"timestamp\":1,\"price\":1,\"volume\":1,"
                        + "\"stock_id\":\"MSFT\"}", "stock_id"),
                Arguments.of("", "{\"stock_id\":\"AAPL\",\"timestamp\":1,\"price\":1,\"volume\":1", "malformed"),
                Arguments.of("", "{\"stock_id\":\"AAPL\" \"timestamp\":1}", "malformed"),
                Arguments.of("", "{\"stock_id\":\"AAPL\",\"timestamp\":1,\"price\":NaN,\"volume\":1}", "NaN"),
                Arguments.of("", "[" + SEED + "]", "array"),
                Arguments.of("", "\"AAPL\"", "string"),
                Arguments.of("", "", "empty"),
                Arguments.of("", SEED + SEED, "trailing"),
                Arguments.of("", SEED + " garbage", "garbage"));
    }

    @ParameterizedTest
    @MethodSource("badTicks")
    void shouldRejectWithFieldAndValueWhenTickBreaksTheContract(final String field, final String json,
                                                                final String mentioned) {
        final InvalidTickException e = assertThrows(InvalidTickException.class, () -> Json.decodeTick(bytes(json)));

        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().contains(mentioned), e.getMessage());
    }

    @Test
    void shouldRejectAsMalformedWhenBytesAreNotUtf8() {
        final byte[] json = bytes("{\"stock_id\":\"AA#L\",\"timestamp\":1,\"price\":1,\"volume\":1}");
        json[15] = (byte) 0xFF;

        final InvalidTickException e = assertThrows(InvalidTickException.class, () -> Json.decodeTick(json));

        assertEquals("", e.field());
        assertTrue(e.getMessage().contains("UTF-8") && e.getMessage().contains("0xff"), e.getMessage());
    }

    private static String tick(final String stockId, final String timestamp, final String price, final String volume) {
        return "{\"stock_id\":" + stockId + ",\"timestamp\":" + timestamp + ",\"price\":" + price
                + ",\"volume\":" + volume + "}";
    }

    private static byte[] bytes(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
