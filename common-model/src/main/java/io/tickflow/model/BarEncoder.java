package io.tickflow.model;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * The one writer of a bar record of {@code indicator_bars}:
 * {@code {"stock_id","interval","start","end","open","high","low","close","volume","trades","vwap","final","seq",
 * "indicators":{…}}}, the indicator keys and {@code null}-until-look-back exactly as {@link ResultEncoder} writes them
 * ({@code vwap} is {@code null} for a bar whose ticks all had volume 0). One encoder per thread, reusing one generator
 * and one growable buffer like {@link ResultEncoder}: the returned array (the producer keeps it) and the two instants'
 * text are the only allocations per record. Confined to one thread.
 */
public final class BarEncoder {
    private final String[] keys;
    private final String[][] parts;
    private final ResultEncoder.Buffer buffer = new ResultEncoder.Buffer();
    private final char[] time = new char[IsoInstants.MAX_LENGTH];
    private final JsonGenerator generator;

    /** The indicator layout as for {@link ResultEncoder#ResultEncoder(List, List)}. */
    public BarEncoder(final List<String> keys, final List<List<String>> parts) {
        this.parts = ResultEncoder.partsArray(keys, parts);
        this.keys = keys.toArray(new String[0]);
        try {
            this.generator = Json.MAPPER.getFactory().createGenerator(buffer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        generator.setRootValueSeparator(null);
    }

    public byte[] encode(final String stockId, final String interval, final BarRecord bar, final boolean isFinal,
                         final long seq, final double[] values) {
        buffer.reset();
        final JsonGenerator g = generator;
        try {
            g.writeStartObject();
            g.writeStringField("stock_id", stockId);
            g.writeStringField("interval", interval);
            g.writeFieldName("start");
            g.writeString(time, 0, IsoInstants.format(Instant.ofEpochMilli(bar.start()), time));
            g.writeFieldName("end");
            g.writeString(time, 0, IsoInstants.format(Instant.ofEpochMilli(bar.end()), time));
            Json.writeNumberField(g, "open", bar.open());
            Json.writeNumberField(g, "high", bar.high());
            Json.writeNumberField(g, "low", bar.low());
            Json.writeNumberField(g, "close", bar.close());
            Json.writeNumberField(g, "volume", bar.volume());
            g.writeNumberField("trades", bar.trades());
            g.writeFieldName("vwap");
            ResultEncoder.writeValue(g, bar.vwap());
            g.writeBooleanField("final", isFinal);
            g.writeNumberField("seq", seq);
            ResultEncoder.writeIndicators(g, keys, parts, values);
            g.writeEndObject();
            g.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }
}
