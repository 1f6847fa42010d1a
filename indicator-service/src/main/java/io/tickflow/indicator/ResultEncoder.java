package io.tickflow.indicator;

import com.fasterxml.jackson.core.JsonGenerator;
import io.tickflow.indicator.ta.OutputGroup;
import io.tickflow.model.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;

/**
 * Writes one result document (DESIGN.md's IndicatorResult JSON, byte-identical to {@code Json.encodeResult}) straight
 * from a {@code StockEngine}'s values: NaN becomes {@code null}, doubles are written in Jackson's shortest round-trip
 * form. One encoder per lane: it reuses one generator and one growable buffer, so the only allocation per result is
 * the returned array (the producer keeps it) and the timestamp text. Confined to one thread.
 */
final class ResultEncoder {
    private static final long MAX_EXACT_LONG = 1L << 53;

    private final List<OutputGroup> outputs;
    private final Buffer buffer = new Buffer();
    private final JsonGenerator generator;

    ResultEncoder(final List<OutputGroup> outputs) {
        this.outputs = List.copyOf(outputs);
        try {
            this.generator = Json.MAPPER.getFactory().createGenerator(buffer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        generator.setRootValueSeparator(null); // documents follow each other in the reused generator
    }

    byte[] encode(final String stockId, final long seq, final Instant timestamp, final double price,
                  final double volume, final double[] values, final long ingestMicros, final long computedMicros) {
        buffer.reset();
        final JsonGenerator g = generator;
        try {
            g.writeStartObject();
            g.writeStringField("stock_id", stockId);
            g.writeNumberField("seq", seq);
            g.writeStringField("timestamp", DateTimeFormatter.ISO_INSTANT.format(timestamp));
            writeNumberField(g, "price", price);
            writeNumberField(g, "volume", volume);
            g.writeObjectFieldStart("indicators");
            for (int i = 0; i < outputs.size(); i++) {
                final OutputGroup group = outputs.get(i);
                g.writeFieldName(group.key());
                final List<String> parts = group.parts();
                if (parts.isEmpty()) {
                    writeValue(g, values[group.offset()]);
                } else {
                    g.writeStartObject();
                    for (int p = 0; p < parts.size(); p++) {
                        g.writeFieldName(parts.get(p));
                        writeValue(g, values[group.offset() + p]);
                    }
                    g.writeEndObject();
                }
            }
            g.writeEndObject();
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

    static void writeValue(final JsonGenerator g, final double v) throws IOException {
        if (Double.isFinite(v)) {
            g.writeNumber(v);
        } else {
            g.writeNull(); // NaN: the look-back is not filled yet
        }
    }

    /** Same rule as the codec: integral values without a fraction ("volume":1000, the seed format). */
    static void writeNumberField(final JsonGenerator g, final String name, final double v) throws IOException {
        if (v == Math.rint(v) && Math.abs(v) < MAX_EXACT_LONG) {
            g.writeNumberField(name, (long) v);
        } else {
            g.writeNumberField(name, v);
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
