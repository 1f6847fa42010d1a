package io.tickflow.model;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The one writer of the result document ({@code indicator_results}' value): header fields, then the indicators
 * straight from an engine's {@code double[]} of values, then the timing stamps. NaN becomes {@code null}, doubles are
 * written in Jackson's shortest round-trip form, integral price and volume without a fraction (the seed format).
 * {@link ResultHeader} is its reader.
 *
 * <p>The layout is fixed at construction: key {@code i} is a scalar when {@code parts.get(i)} is empty, else an object
 * of those parts; the values of the keys follow each other in {@code values} in that order. One encoder per thread:
 * it reuses one generator and one growable buffer, so the only allocation per result is the returned array (the
 * producer keeps it). Confined to one thread.
 */
public final class ResultEncoder {
    private final String[] keys;
    private final String[][] parts;
    private final Buffer buffer = new Buffer();
    private final char[] time = new char[IsoInstants.MAX_LENGTH];
    private final JsonGenerator generator;

    /** {@code keys.get(i)} is written with the parts {@code parts.get(i)} (empty for a scalar). */
    public ResultEncoder(final List<String> keys, final List<List<String>> parts) {
        this.parts = partsArray(keys, parts);
        this.keys = keys.toArray(new String[0]);
        try {
            this.generator = Json.MAPPER.getFactory().createGenerator(buffer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        generator.setRootValueSeparator(null); // documents follow each other in the reused generator
    }

    /** How many doubles {@link #encode} reads from {@code values}. */
    public int width() {
        int width = 0;
        for (String[] p : parts) {
            width += Math.max(1, p.length);
        }
        return width;
    }

    /** One result document; {@code ingestMicros} and {@code computedMicros} are left out when 0 (unknown). */
    public byte[] encode(final String stockId, final long seq, final Instant timestamp, final double price,
                         final double volume, final double[] values, final long ingestMicros,
                         final long computedMicros) {
        buffer.reset();
        final JsonGenerator g = generator;
        try {
            g.writeStartObject();
            g.writeStringField("stock_id", stockId);
            g.writeNumberField("seq", seq);
            g.writeFieldName("timestamp");
            g.writeString(time, 0, IsoInstants.format(timestamp, time));
            Json.writeNumberField(g, "price", price);
            Json.writeNumberField(g, "volume", volume);
            writeIndicators(g, keys, parts, values);
            if (ingestMicros != 0L) {
                g.writeNumberField("ingest_us", ingestMicros);
            }
            if (computedMicros != 0L) {
                g.writeNumberField("computed_us", computedMicros);
            }
            g.writeEndObject();
            g.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    /** {@code "indicators":{…}}: the layout's keys, scalars or objects of parts, NaN written as null. */
    static void writeIndicators(final JsonGenerator g, final String[] keys, final String[][] parts,
                                final double[] values) throws IOException {
        g.writeObjectFieldStart("indicators");
        int offset = 0;
        for (int i = 0; i < keys.length; i++) {
            g.writeFieldName(keys[i]);
            final String[] groupParts = parts[i];
            if (groupParts.length == 0) {
                writeValue(g, values[offset++]);
            } else {
                g.writeStartObject();
                for (String part : groupParts) {
                    g.writeFieldName(part);
                    writeValue(g, values[offset++]);
                }
                g.writeEndObject();
            }
        }
        g.writeEndObject();
    }

    /** The layout as arrays: {@code keys[i]} with {@code parts[i]} (empty for a scalar). */
    static String[][] partsArray(final List<String> keys, final List<List<String>> parts) {
        if (keys.size() != parts.size()) {
            throw new IllegalArgumentException("one parts list per key: " + keys.size() + " keys, " + parts.size()
                    + " parts lists");
        }
        final List<String[]> p = new ArrayList<>(parts.size());
        parts.forEach(list -> p.add(list.toArray(new String[0])));
        return p.toArray(new String[0][]);
    }

    static void writeValue(final JsonGenerator g, final double v) throws IOException {
        if (Double.isFinite(v)) {
            g.writeNumber(v);
        } else {
            g.writeNull(); // NaN: the look-back is not filled yet
        }
    }

    /** A growable byte buffer that can be reset, unlike ByteArrayOutputStream without its synchronization. */
    static final class Buffer extends OutputStream {
        private byte[] bytes = new byte[512];
        private int size;

        void reset() {
            size = 0;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }

        @Override
        public void write(final int b) {
            ensure(1);
            bytes[size++] = (byte) b;
        }

        @Override
        public void write(final byte[] b, final int off, final int len) {
            ensure(len);
            System.arraycopy(b, off, bytes, size, len);
            size += len;
        }

        private void ensure(final int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }
    }
}
