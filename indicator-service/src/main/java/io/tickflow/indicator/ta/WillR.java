package io.tickflow.indicator.ta;

import java.nio.ByteBuffer;

/**
 * Williams' %R as TA-Lib's {@code willR}: over the last {@code period} bars {@code diff = (HH - LL) / (-100.0)},
 * {@code %R = diff != 0 ? (HH - close) / diff : 0.0} (0 down to -100). First value at bar {@code period - 1}.
 * Amortised O(1) per update, allocation-free. Confined to one thread.
 */
public final class WillR implements BarIndicator {
    private final RangeWindow window;
    private double value = Double.NaN;

    public WillR(final int period) {
        if (period < 2) throw new IllegalArgumentException("WILLR period must be >= 2, was " + period);
        this.window = new RangeWindow(period);
    }

    public void update(final double high, final double low, final double close) {
        if (!window.update(high, low)) return;
        final double highest = window.highest();
        final double diff = (highest - window.lowest()) / (-100.0);
        value = diff != 0.0 ? (highest - close) / diff : 0.0;
    }

    public double value() { return value; }

    @Override public int width() { return 1; }

    @Override public void update(final double high, final double low, final double close, final double volume,
                                 final double[] out, final int offset) {
        update(high, low, close);
        out[offset] = value;
    }

    @Override public void copyFrom(final BarIndicator other) {
        final WillR o = (WillR) other;
        window.copyFrom(o.window);
        value = o.value;
    }

    @Override public int stateSize() { return window.stateSize() + Double.BYTES; }

    @Override public void writeState(final ByteBuffer buffer) {
        window.writeState(buffer);
        buffer.putDouble(value);
    }

    @Override public void readState(final ByteBuffer buffer) {
        window.readState(buffer);
        value = buffer.getDouble();
    }
}
