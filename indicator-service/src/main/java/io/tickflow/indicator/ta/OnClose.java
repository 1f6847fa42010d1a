package io.tickflow.indicator.ta;

import java.nio.ByteBuffer;

/**
 * A close-only {@link Indicator} (SMA, EMA, RSI, MACD, BBANDS, …) fed each bar's close (and volume, for VWAP): TA-Lib
 * over the bars' closes. Confined to one thread.
 */
final class OnClose implements BarIndicator {
    private final Indicator indicator;

    OnClose(final Indicator indicator) {
        this.indicator = indicator;
    }

    /** The wrapped indicator (BarEngine calls it directly, by its class, so the JIT can inline it). */
    Indicator indicator() { return indicator; }

    @Override public int width() { return indicator.width(); }

    @Override public void update(final double high, final double low, final double close, final double volume,
                                 final double[] out, final int offset) {
        indicator.update(close, volume, out, offset);
    }

    @Override public int stateSize() { return indicator.stateSize(); }

    @Override public void writeState(final ByteBuffer buffer) { indicator.writeState(buffer); }

    @Override public void readState(final ByteBuffer buffer) { indicator.readState(buffer); }

    @Override public void copyFrom(final BarIndicator other) { indicator.copyFrom(((OnClose) other).indicator); }
}
