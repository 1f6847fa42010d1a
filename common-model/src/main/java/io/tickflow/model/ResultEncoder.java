package io.tickflow.model;

import java.time.Instant;
import java.util.List;

/**
 * The one writer of the result document ({@code indicator_results}' value): header fields, then the indicators
 * straight from an engine's {@code double[]} of values ({@link IndicatorLayout}), then the timing stamps. NaN becomes
 * {@code null}, doubles are written in Jackson's shortest round-trip form, integral price and volume without a
 * fraction (the seed format). {@link ResultHeader} is its reader.
 *
 * <p>One encoder per thread: it reuses one buffer ({@link JsonBytes}), so the only allocations per result are the
 * returned array (the producer keeps it) and the doubles' text. Confined to one thread.
 */
public final class ResultEncoder {
    private static final byte[] STOCK_ID = JsonBytes.opening("stock_id");
    private static final byte[] SEQ = JsonBytes.field("seq");
    private static final byte[] TIMESTAMP = JsonBytes.field("timestamp");
    private static final byte[] PRICE = JsonBytes.field("price");
    private static final byte[] VOLUME = JsonBytes.field("volume");
    private static final byte[] COMMA = JsonBytes.fragment(",");
    private static final byte[] INGEST = JsonBytes.field("ingest_us");
    private static final byte[] COMPUTED = JsonBytes.field("computed_us");
    private static final byte[] END = JsonBytes.fragment("}");

    private final IndicatorLayout layout;
    private final JsonBytes out = new JsonBytes();
    private final char[] time = new char[IsoInstants.MAX_LENGTH];

    /** {@code keys.get(i)} is written with the parts {@code parts.get(i)} (empty for a scalar). */
    public ResultEncoder(final List<String> keys, final List<List<String>> parts) {
        this.layout = new IndicatorLayout(keys, parts);
    }

    /** How many doubles {@link #encode} reads from {@code values}. */
    public int width() {
        return layout.width();
    }

    /** One result document; {@code ingestMicros} and {@code computedMicros} are left out when 0 (unknown). */
    public byte[] encode(final String stockId, final long seq, final Instant timestamp, final double price,
                         final double volume, final double[] values, final long ingestMicros,
                         final long computedMicros) {
        out.reset();
        out.raw(STOCK_ID).string(stockId).raw(SEQ).number(seq)
                .raw(TIMESTAMP).quoted(time, IsoInstants.format(timestamp, time))
                .raw(PRICE).quantity(price).raw(VOLUME).quantity(volume).raw(COMMA);
        layout.write(out, values);
        if (ingestMicros != 0L) {
            out.raw(INGEST).number(ingestMicros);
        }
        if (computedMicros != 0L) {
            out.raw(COMPUTED).number(computedMicros);
        }
        return out.raw(END).toByteArray();
    }
}
