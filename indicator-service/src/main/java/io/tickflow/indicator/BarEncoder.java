package io.tickflow.indicator;

import com.fasterxml.jackson.core.JsonGenerator;
import io.tickflow.indicator.bars.Bar;
import io.tickflow.indicator.ta.OutputGroup;
import io.tickflow.model.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Writes one bar record of {@code indicator_bars} (DESIGN.md's Bar JSON):
 * {@code {"stock_id","interval","start","end","open","high","low","close","volume","trades","vwap","final","seq",
 * "indicators":{…}}}, the indicator keys and {@code null}-until-look-back exactly as {@link ResultEncoder} writes them
 * ({@code vwap} is {@code null} for a bar whose ticks all had volume 0). One encoder per lane, reusing one generator and
 * one growable buffer like {@link ResultEncoder}: the returned array (the producer keeps it) and the two instants'
 * text are the only allocations per record. Confined to one thread.
 */
final class BarEncoder {
    private final List<OutputGroup> outputs;
    private final ResultEncoder.Buffer buffer = new ResultEncoder.Buffer();
    private final JsonGenerator generator;

    BarEncoder(final List<OutputGroup> outputs) {
        this.outputs = List.copyOf(outputs);
        try {
            this.generator = Json.MAPPER.getFactory().createGenerator(buffer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        generator.setRootValueSeparator(null);
    }

    byte[] encode(final String stockId, final String interval, final Bar bar, final boolean isFinal, final long seq,
                  final double[] values) {
        buffer.reset();
        final JsonGenerator g = generator;
        try {
            g.writeStartObject();
            g.writeStringField("stock_id", stockId);
            g.writeStringField("interval", interval);
            g.writeStringField("start", DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(bar.start())));
            g.writeStringField("end", DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(bar.end())));
            ResultEncoder.writeNumberField(g, "open", bar.open());
            ResultEncoder.writeNumberField(g, "high", bar.high());
            ResultEncoder.writeNumberField(g, "low", bar.low());
            ResultEncoder.writeNumberField(g, "close", bar.close());
            ResultEncoder.writeNumberField(g, "volume", bar.volume());
            g.writeNumberField("trades", bar.trades());
            g.writeFieldName("vwap");
            ResultEncoder.writeValue(g, bar.vwap());
            g.writeBooleanField("final", isFinal);
            g.writeNumberField("seq", seq);
            g.writeObjectFieldStart("indicators");
            for (int i = 0; i < outputs.size(); i++) {
                final OutputGroup group = outputs.get(i);
                g.writeFieldName(group.key());
                final List<String> parts = group.parts();
                if (parts.isEmpty()) {
                    ResultEncoder.writeValue(g, values[group.offset()]);
                } else {
                    g.writeStartObject();
                    for (int p = 0; p < parts.size(); p++) {
                        g.writeFieldName(parts.get(p));
                        ResultEncoder.writeValue(g, values[group.offset() + p]);
                    }
                    g.writeEndObject();
                }
            }
            g.writeEndObject();
            g.writeEndObject();
            g.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }
}
