package io.tickflow.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.Instant;

/**
 * The JSON codec of ticks, and the shared mapper. Ticks are read with Jackson's streaming API (no reflection, exact
 * field names) and written by {@link JsonBytes} (doubles in their shortest round-trip form, so values survive JSON
 * bit-exactly).
 * Decoding a tick validates it: every failure is an {@link InvalidTickException} naming the field. Results are written
 * by {@link ResultEncoder} and read by {@link ResultHeader}.
 */
public final class Json {
    /** Shared mapper for the protocol messages that are not ticks or results (WebSocket ops, HTTP replies). */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // Schubfach writer and FastDoubleParser: both exact (shortest round-trip form, correctly rounded), several
            // times faster than Double.toString/parseDouble (ticks, results and bars are written by JsonBytes with
            // the same Schubfach writer)
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();

    /**
     * For the header readers of documents the pipeline writes itself ({@link ResultHeader}, delivery's bars), which
     * check the fields they use and skip the rest: no duplicate-key bookkeeping (a set per object, nested ones
     * included, was a fifth of delivery's feed thread).
     */
    public static final JsonFactory HEADER_FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();

    private static final JsonFactory FACTORY = MAPPER.getFactory();
    private static final byte[] TICK_STOCK_ID = JsonBytes.opening("stock_id");
    private static final byte[] TICK_TIMESTAMP = JsonBytes.field("timestamp");
    private static final byte[] TICK_PRICE = JsonBytes.field("price");
    private static final byte[] TICK_VOLUME = JsonBytes.field("volume");
    private static final byte[] TICK_INGEST = JsonBytes.field("ingest_us");
    private static final byte[] TICK_END = JsonBytes.fragment("}");

    private Json() {
    }

    // ---------------------------------------------------------------- ticks

    /** Decodes and validates one tick document (UTF-8 JSON object). */
    public static Tick decodeTick(final byte[] json) {
        try (JsonParser parser = FACTORY.createParser(json)) {
            // readTick rejects a repeated contract field naming it; the parser's check would only say "malformed".
            parser.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            final Tick tick = readTick(parser, parser.nextToken());
            if (parser.nextToken() != null) {
                throw new InvalidTickException("", "trailing content after the tick object");
            }
            return tick;
        } catch (JsonParseException e) {
            throw new InvalidTickException("", "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidTickException("", "unreadable JSON: " + e.getMessage());
        }
    }

    /**
     * Reads one tick object whose first token ({@code first}) the parser has just returned. Unknown fields are
     * skipped. Leaves the parser on the object's END_OBJECT.
     */
    public static Tick readTick(final JsonParser parser, final JsonToken first) throws IOException {
        if (first != JsonToken.START_OBJECT) {
            throw new InvalidTickException("", "a tick must be a JSON object, was " + describe(first));
        }
        String stockId = null;
        Instant timestamp = null;
        double price = Double.NaN;
        double volume = Double.NaN;
        long ingestMicros = 0L;
        boolean hasPrice = false;
        boolean hasVolume = false;
        boolean hasIngestMicros = false;
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
            final String field = parser.currentName();
            final JsonToken value = parser.nextToken();
            switch (field) {
                case "stock_id" -> {
                    requireOnce(stockId == null, field);
                    if (value != JsonToken.VALUE_STRING) {
                        throw wrongType("stock_id", "a string", parser, value);
                    }
                    stockId = parser.getText();
                }
                case "timestamp" -> {
                    requireOnce(timestamp == null, field);
                    timestamp = readTimestamp(parser, value);
                }
                case "price" -> {
                    requireOnce(!hasPrice, field);
                    price = readNumber("price", parser, value);
                    hasPrice = true;
                }
                case "volume" -> {
                    requireOnce(!hasVolume, field);
                    volume = readNumber("volume", parser, value);
                    hasVolume = true;
                }
                case "ingest_us" -> {
                    requireOnce(!hasIngestMicros, field);
                    hasIngestMicros = true;
                    if (value != JsonToken.VALUE_NUMBER_INT) {
                        throw wrongType("ingest_us", "an integer (epoch microseconds)", parser, value);
                    }
                    ingestMicros = readLong("ingest_us", parser);
                }
                default -> parser.skipChildren();
            }
        }
        if (stockId == null) {
            throw new InvalidTickException("stock_id", "stock_id is required");
        }
        if (timestamp == null) {
            throw new InvalidTickException("timestamp", "timestamp is required");
        }
        if (!hasPrice) {
            throw new InvalidTickException("price", "price is required");
        }
        if (!hasVolume) {
            throw new InvalidTickException("volume", "volume is required");
        }
        return new Tick(stockId, timestamp, price, volume, ingestMicros);
    }

    /** A tick in the contract's JSON: stock_id, timestamp, price, volume, and ingest_us when known. */
    public static byte[] encodeTick(final Tick tick) {
        final JsonBytes out = new JsonBytes();
        final char[] time = new char[IsoInstants.MAX_LENGTH];
        out.raw(TICK_STOCK_ID).string(tick.stockId())
                .raw(TICK_TIMESTAMP).quoted(time, IsoInstants.format(tick.timestamp(), time))
                .raw(TICK_PRICE).quantity(tick.price()).raw(TICK_VOLUME).quantity(tick.volume());
        if (tick.ingestMicros() != 0L) {
            out.raw(TICK_INGEST).number(tick.ingestMicros());
        }
        return out.raw(TICK_END).toByteArray();
    }

    // ---------------------------------------------------------------- helpers

    private static Instant readTimestamp(final JsonParser parser, final JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            try {
                return IsoInstants.parse(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
            } catch (DateTimeException e) {
                throw new InvalidTickException("timestamp",
                        "timestamp must be an ISO-8601 instant such as 2024-06-02T12:34:56Z, was "
                                + TickValidator.quote(parser.getText()));
            }
        }
        if (value == JsonToken.VALUE_NUMBER_INT) {
            final long millis = readLong("timestamp", parser);
            if (millis < 0) {
                throw new InvalidTickException("timestamp", "timestamp in epoch milliseconds must be >= 0, was " + millis);
            }
            return Instant.ofEpochMilli(millis);
        }
        throw wrongType("timestamp", "an ISO-8601 string or epoch milliseconds", parser, value);
    }

    private static double readNumber(final String field, final JsonParser parser, final JsonToken value)
            throws IOException {
        if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NUMBER_FLOAT) {
            throw wrongType(field, "a number", parser, value);
        }
        return parser.getDoubleValue();
    }

    /** A repeated contract field is ambiguous (which price?): rejected whatever the parser's own settings. */
    private static void requireOnce(final boolean first, final String field) {
        if (!first) {
            throw new InvalidTickException(field, "duplicate field " + field);
        }
    }

    /** An integer token as a long; one beyond the long range is the field's error, not a parse failure. */
    private static long readLong(final String field, final JsonParser parser) throws IOException {
        if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new InvalidTickException(field, field + " is out of range, was " + parser.getText());
        }
        return parser.getLongValue();
    }

    private static InvalidTickException wrongType(final String field, final String expected, final JsonParser parser,
                                                  final JsonToken value) throws IOException {
        final String shown = value == JsonToken.VALUE_STRING ? TickValidator.quote(parser.getText())
                : value != null && value.isScalarValue() ? parser.getText() : describe(value);
        return new InvalidTickException(field, field + " must be " + expected + ", was " + shown);
    }

    private static String describe(final JsonToken token) {
        if (token == null) {
            return "empty";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.toString();
        };
    }
}
