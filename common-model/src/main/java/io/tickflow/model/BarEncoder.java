package io.tickflow.model;

import java.time.Instant;
import java.util.List;

/**
 * The one writer of a bar record of {@code indicator_bars}:
 * {@code {"stock_id","interval","start","end","open","high","low","close","volume","trades","vwap","final","seq",
 * "indicators":{…}}}, the indicator keys and {@code null}-until-look-back exactly as {@link ResultEncoder} writes them
 * ({@code vwap} is {@code null} for a bar whose ticks all had volume 0). One encoder per thread, reusing one buffer
 * like {@link ResultEncoder}. Confined to one thread.
 */
public final class BarEncoder {
    private static final byte[] STOCK_ID = JsonBytes.opening("stock_id");
    private static final byte[] INTERVAL = JsonBytes.field("interval");
    private static final byte[] START = JsonBytes.field("start");
    private static final byte[] END_TIME = JsonBytes.field("end");
    private static final byte[] OPEN = JsonBytes.field("open");
    private static final byte[] HIGH = JsonBytes.field("high");
    private static final byte[] LOW = JsonBytes.field("low");
    private static final byte[] CLOSE = JsonBytes.field("close");
    private static final byte[] VOLUME = JsonBytes.field("volume");
    private static final byte[] TRADES = JsonBytes.field("trades");
    private static final byte[] VWAP = JsonBytes.field("vwap");
    private static final byte[] FINAL = JsonBytes.fragment("," + JsonBytes.name("final") + "true");
    private static final byte[] FORMING = JsonBytes.fragment("," + JsonBytes.name("final") + "false");
    private static final byte[] SEQ = JsonBytes.field("seq");
    private static final byte[] COMMA = JsonBytes.fragment(",");
    private static final byte[] END = JsonBytes.fragment("}");

    private final IndicatorLayout layout;
    private final JsonBytes out = new JsonBytes();
    private final char[] time = new char[IsoInstants.MAX_LENGTH];

    /** The indicator layout as for {@link ResultEncoder#ResultEncoder(List, List)}. */
    public BarEncoder(final List<String> keys, final List<List<String>> parts) {
        this.layout = new IndicatorLayout(keys, parts);
    }

    public byte[] encode(final String stockId, final String interval, final BarRecord bar, final boolean isFinal,
                         final long seq, final double[] values) {
        out.reset();
        out.raw(STOCK_ID).string(stockId).raw(INTERVAL).string(interval)
                .raw(START).quoted(time, IsoInstants.format(Instant.ofEpochMilli(bar.start()), time))
                .raw(END_TIME).quoted(time, IsoInstants.format(Instant.ofEpochMilli(bar.end()), time))
                .raw(OPEN).quantity(bar.open()).raw(HIGH).quantity(bar.high()).raw(LOW).quantity(bar.low())
                .raw(CLOSE).quantity(bar.close()).raw(VOLUME).quantity(bar.volume())
                .raw(TRADES).number(bar.trades()).raw(VWAP).number(bar.vwap())
                .raw(isFinal ? FINAL : FORMING).raw(SEQ).number(seq).raw(COMMA);
        layout.write(out, values);
        return out.raw(END).toByteArray();
    }
}
