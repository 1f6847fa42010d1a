package io.tickflow.model;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.io.NumberOutput;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The growable buffer the result and bar encoders write their fixed layouts into: JSON fragments built once (names
 * and punctuation, quoted by Jackson), then per document the values — longs, doubles in their shortest round-trip
 * form (Jackson's Schubfach writer, the text its generator writes), and strings, which the pipeline's own (stock ids,
 * interval names) never need escaping. Jackson's generator did the same behind a token state machine and a per-char
 * escape check: half of an encode, the other half being the doubles (profiled, {@code ResultCodecBenchmark}).
 * Reused, one per encoder; confined to its thread.
 */
final class JsonBytes {
    private static final byte[] NULL = fragment("null");
    private static final long MAX_EXACT_LONG = 1L << 53;

    private byte[] bytes = new byte[512];
    private int size;

    /** {@code text} (already JSON: punctuation, quoted names) as the bytes to copy into documents. */
    static byte[] fragment(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The opening of a document and its first field's name: <code>{"name":</code>. */
    static byte[] opening(final String name) {
        return fragment("{" + name(name));
    }

    /** A further field's name: {@code ,"name":}. */
    static byte[] field(final String name) {
        return fragment("," + name(name));
    }

    /** A name with its colon, quoted and escaped by Jackson: {@code "name":}. */
    static String name(final String name) {
        return quote(name) + ':';
    }

    private static String quote(final String s) {
        return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + '"';
    }

    void reset() {
        size = 0;
    }

    /** The document written since {@link #reset()}, as a new array (the producer keeps it). */
    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    JsonBytes raw(final byte[] fragment) {
        ensure(fragment.length);
        System.arraycopy(fragment, 0, bytes, size, fragment.length);
        size += fragment.length;
        return this;
    }

    JsonBytes number(long v) {
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                return ascii(Long.toString(v));
            }
            ensure(1);
            bytes[size++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long bound = 10; digits < 19 && v >= bound; bound *= 10) {
            digits++;
        }
        ensure(digits);
        for (int i = size + digits - 1; i >= size; i--) {
            bytes[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        size += digits;
        return this;
    }

    /** A finite double in its shortest round-trip form, anything else (NaN: a look-back not filled yet) as null. */
    JsonBytes number(final double v) {
        return Double.isFinite(v) ? ascii(NumberOutput.toString(v, true)) : raw(NULL);
    }

    /**
     * An integral value without a fraction ({@code "volume":1000}, as in the seed format), others as
     * {@link #number(double)}: a non-finite one (a bar's summed volume past {@code Double.MAX_VALUE}) as null, where
     * Jackson's generator wrote the string {@code "Infinity"}.
     */
    JsonBytes quantity(final double v) {
        return v == Math.rint(v) && Math.abs(v) < MAX_EXACT_LONG ? number((long) v) : number(v);
    }

    /** A JSON string; one with a character that needs escaping (none of the pipeline's own) goes through Jackson. */
    JsonBytes string(final String s) {
        final int n = s.length();
        ensure(n + 2);
        int at = size;
        bytes[at++] = '"';
        for (int i = 0; i < n; i++) {
            final char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || c > 0x7E) {
                return raw(fragment(quote(s)));
            }
            bytes[at++] = (byte) c;
        }
        bytes[at++] = '"';
        size = at;
        return this;
    }

    /** A string of ASCII characters that need no escaping ({@link IsoInstants#format}'s). */
    JsonBytes quoted(final char[] ascii, final int length) {
        ensure(length + 2);
        bytes[size++] = '"';
        for (int i = 0; i < length; i++) {
            bytes[size++] = (byte) ascii[i];
        }
        bytes[size++] = '"';
        return this;
    }

    private JsonBytes ascii(final String s) {
        final int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            bytes[size++] = (byte) s.charAt(i);
        }
        return this;
    }

    private void ensure(final int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
