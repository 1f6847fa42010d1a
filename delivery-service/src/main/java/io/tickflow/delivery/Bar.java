package io.tickflow.delivery;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tickflow.model.IsoInstants;
import io.tickflow.model.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;

/**
 * One bar as delivered ({@code indicator_bars} record value, see the bar contract in docs/DESIGN): the raw JSON bytes
 * as read from Kafka plus the header fields delivery needs. Frames are built lazily, once, shared by every connection.
 * A final bar travels as a data frame that is never conflated; a forming bar as an update that a newer forming (or
 * the final) bar of the same stock and interval supersedes.
 */
final class Bar implements Conflatable, Sequenced {
    /** No (string) {@code start} seen: no instant in millis is this small. */
    private static final long NO_START = Long.MIN_VALUE;
    private static final byte[] BAR = "{\"type\":\"bar\",\"data\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONFLATED = "{\"type\":\"bar\",\"conflated\":true,\"data\":"
            .getBytes(StandardCharsets.US_ASCII);

    /** A bar record that cannot be read, with a short reason (a metric label: one of a few fixed words). */
    static final class Malformed extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final String reason;

        Malformed(final String reason, final String message) {
            super(message);
            this.reason = reason;
        }

        String reason() {
            return reason;
        }
    }

    private final String stockId;
    private final String interval;
    private final long startMillis;
    private final long seq;
    private final long trades;
    private final boolean isFinal;
    private final byte[] raw;
    private volatile Frame live;
    private volatile Frame conflated;

    Bar(final String stockId, final String interval, final long startMillis, final long seq, final long trades,
        final boolean isFinal, final byte[] raw) {
        this.stockId = stockId;
        this.interval = interval;
        this.startMillis = startMillis;
        this.seq = seq;
        this.trades = trades;
        this.isFinal = isFinal;
        this.raw = raw;
    }

    /** The key of a stock's series of one interval, also the conflation key of its forming bars. */
    static String key(final String stockId, final String interval) {
        return stockId + ' ' + interval;
    }

    /**
     * Reads the header ({@code stock_id}, {@code interval}, {@code start}, {@code final}, {@code seq}, {@code trades})
     * of one bar document, checking it is one JSON object. A final bar needs {@code seq >= 1}; a forming bar's seq
     * is not used. Throws {@link Malformed} naming the field.
     */
    static Bar parse(final byte[] raw) {
        if (raw == null) {
            throw new Malformed("tombstone", "bar is null (a tombstone?)");
        }
        try (JsonParser p = Json.HEADER_FACTORY.createParser(raw)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new Malformed("json", "a bar must be a JSON object");
            }
            String stockId = null;
            String interval = null;
            long startMillis = NO_START;
            Boolean isFinal = null;
            long seq = 0;
            long trades = 0;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                final String field = p.currentName();
                final JsonToken value = p.nextToken();
                switch (field) {
                    case "stock_id" -> stockId = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "interval" -> interval = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "start" -> startMillis = value == JsonToken.VALUE_STRING ? startMillis(p) : NO_START;
                    case "final" -> isFinal = value == JsonToken.VALUE_TRUE ? Boolean.TRUE
                            : value == JsonToken.VALUE_FALSE ? Boolean.FALSE : null;
                    case "seq" -> seq = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : 0;
                    case "trades" -> trades = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : 0;
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new Malformed("json", "trailing content after the bar object");
            }
            if (stockId == null || stockId.isEmpty()) {
                throw new Malformed("stock_id", "stock_id (a non-empty string) is required");
            }
            if (interval == null || interval.isEmpty()) {
                throw new Malformed("interval", "interval (a string such as \"1m\") is required");
            }
            if (isFinal == null) {
                throw new Malformed("final", "final (true or false) is required");
            }
            if (isFinal && seq < 1) {
                throw new Malformed("seq", "seq (an integer >= 1) is required on a final bar");
            }
            if (startMillis == NO_START) {
                throw new Malformed("start", "start (an ISO-8601 instant) is required");
            }
            return new Bar(stockId, interval, startMillis, seq, trades, isFinal, raw);
        } catch (IOException e) {
            throw new Malformed("json", "malformed JSON: " + e.getMessage());
        }
    }

    private static long startMillis(final JsonParser p) throws IOException {
        try {
            return IsoInstants.parse(p.getTextCharacters(), p.getTextOffset(), p.getTextLength()).toEpochMilli();
        } catch (DateTimeException | ArithmeticException e) {
            throw new Malformed("start", "start must be an ISO-8601 instant, was '" + p.getText() + "'");
        }
    }

    String stockId() {
        return stockId;
    }

    String interval() {
        return interval;
    }

    long startMillis() {
        return startMillis;
    }

    @Override
    public long seq() {
        return seq;
    }

    boolean isFinal() {
        return isFinal;
    }

    byte[] raw() {
        return raw;
    }

    @Override
    public String conflationKey() {
        return key(stockId, interval);
    }

    /** A later bar, or the same bar further on (more trades, or its final record). */
    @Override
    public boolean supersedes(final Conflatable older) {
        if (!(older instanceof Bar o)) {
            return false;
        }
        if (startMillis != o.startMillis) {
            return startMillis > o.startMillis;
        }
        return isFinal || (!o.isFinal && trades >= o.trades);
    }

    /** {@code {"type":"bar","data":…}}: an update when forming, a never-conflated data frame when final. */
    Frame live() {
        Frame f = live;
        if (f == null) {
            f = Frame.wrap(BAR, raw, isFinal ? Frame.Kind.SNAPSHOT : Frame.Kind.UPDATE, this);
            live = f;
        }
        return f;
    }

    @Override
    public Frame conflated() {
        Frame f = conflated;
        if (f == null) {
            f = Frame.wrap(CONFLATED, raw, Frame.Kind.UPDATE, this);
            conflated = f;
        }
        return f;
    }
}
