package io.tickflow.bench.harness;

import java.util.function.LongConsumer;

/**
 * Reads what the harness needs from a delivery-service frame without a JSON parser: the frame's {@code type} and every
 * {@code ingest_us} in it (one per result; a batched frame carries an array of results). A client receiving a million
 * updates a second cannot afford a full parse per frame, and the latency it reports must not be its own parsing time.
 * Relies only on the protocol: {@code type} is a string field, {@code ingest_us} an integer, neither appears in data.
 */
final class LatencyFrames {
    private static final String TYPE = "\"type\"";
    private static final String INGEST = "\"ingest_us\"";
    private static final String COMPUTED = "\"computed_us\"";

    /** Receives one result's stamps: ingest and computed epoch µs (computed 0 when the frame does not carry it). */
    @FunctionalInterface
    interface StampSink {
        void accept(long ingestMicros, long computedMicros);
    }

    private LatencyFrames() {
    }

    /** The value of the first {@code "type"} field, or {@code ""} when there is none. */
    static String type(final String frame) {
        final int key = frame.indexOf(TYPE);
        if (key < 0) {
            return "";
        }
        int i = skipToValue(frame, key + TYPE.length());
        if (i >= frame.length() || frame.charAt(i) != '"') {
            return "";
        }
        final int end = frame.indexOf('"', i + 1);
        return end < 0 ? "" : frame.substring(i + 1, end);
    }

    /** Calls {@code sink} with each {@code ingest_us} value in the frame, in order; returns how many there were. */
    static int forEachIngestMicros(final String frame, final LongConsumer sink) {
        return forEachNumber(frame, INGEST, sink);
    }

    /**
     * Calls {@code sink} with each result's {@code ingest_us} and {@code computed_us}, paired by order of appearance
     * (each result has one of each); computed is 0 for all when the counts differ. Returns the number of results.
     */
    static int forEachStamps(final String frame, final StampSink sink) {
        final int results = forEachNumber(frame, INGEST, v -> { });
        if (results == 0) {
            return 0;
        }
        final long[] ingest = new long[results];
        final long[] computed = new long[results];
        final int[] n = new int[1];
        forEachNumber(frame, INGEST, v -> ingest[n[0]++] = v);
        n[0] = 0;
        final int computedCount = forEachNumber(frame, COMPUTED, v -> {
            if (n[0] < results) {
                computed[n[0]++] = v;
            }
        });
        for (int r = 0; r < results; r++) {
            sink.accept(ingest[r], computedCount == results ? computed[r] : 0L);
        }
        return results;
    }

    private static int forEachNumber(final String frame, final String key, final LongConsumer sink) {
        int found = 0;
        int from = 0;
        while (true) {
            final int at = frame.indexOf(key, from);
            if (at < 0) {
                return found;
            }
            int i = skipToValue(frame, at + key.length());
            long value = 0;
            int digits = 0;
            while (i < frame.length()) {
                final char c = frame.charAt(i);
                if (c < '0' || c > '9') {
                    break;
                }
                value = value * 10 + (c - '0');
                digits++;
                i++;
            }
            if (digits > 0) {
                sink.accept(value);
                found++;
            }
            from = i;
        }
    }

    /** Index of the first character of the value after a key: past whitespace, the colon, and whitespace. */
    private static int skipToValue(final String frame, final int afterKey) {
        int i = afterKey;
        while (i < frame.length() && (Character.isWhitespace(frame.charAt(i)) || frame.charAt(i) == ':')) {
            i++;
        }
        return i;
    }
}
