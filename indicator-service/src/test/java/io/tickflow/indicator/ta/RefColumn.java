package io.tickflow.indicator.ta;

import java.util.List;
import java.util.stream.Stream;

/** A TA-Lib column of the reference series and the engine output it must equal: key, and part (null for a scalar key). */
record RefColumn(String csv, String key, String part) {
    /** The columns of the tick indicators (spec {@code sma:20,ema:20,rsi:14,macd:12:26:9,bbands:20:2,wma:20,stddev:20}). */
    static final List<RefColumn> TICK = List.of(
            new RefColumn("sma20", "sma_20", null),
            new RefColumn("ema20", "ema_20", null),
            new RefColumn("rsi14", "rsi_14", null),
            new RefColumn("macd", "macd_12_26_9", "macd"),
            new RefColumn("macd_signal", "macd_12_26_9", "signal"),
            new RefColumn("macd_hist", "macd_12_26_9", "hist"),
            new RefColumn("bb_upper", "bbands_20_2", "upper"),
            new RefColumn("bb_middle", "bbands_20_2", "middle"),
            new RefColumn("bb_lower", "bbands_20_2", "lower"),
            new RefColumn("wma20", "wma_20", null),
            new RefColumn("stddev20", "stddev_20", null));

    /** {@link #TICK} and the columns of the bar-only indicators ({@code atr:14,stoch:14:3:3}). */
    static final List<RefColumn> BAR = Stream.concat(TICK.stream(), Stream.of(
            new RefColumn("atr14", "atr_14", null),
            new RefColumn("stoch_k", "stoch_14_3_3", "k"),
            new RefColumn("stoch_d", "stoch_14_3_3", "d"))).toList();

    /** Where this column's value sits in the values of an engine of {@code spec}. */
    int offsetIn(final EngineSpec spec) {
        for (final OutputGroup group : spec.outputs()) {
            if (group.key().equals(key)) return group.offset() + (part == null ? 0 : group.parts().indexOf(part));
        }
        throw new IllegalArgumentException("no key " + key);
    }
}
