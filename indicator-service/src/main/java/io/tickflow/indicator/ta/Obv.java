package io.tickflow.indicator.ta;

import java.nio.ByteBuffer;

/**
 * On-balance volume as TA-Lib's {@code obv}: starts at the first bar's volume; each later bar adds its volume when
 * its close is above the previous close, subtracts it when below. No look-back. O(1) per update, allocation-free.
 * Confined to one thread.
 */
public final class Obv implements BarIndicator {
    private boolean started;
    private double prevClose;
    private double value = Double.NaN;

    public void update(final double close, final double volume) {
        if (!started) {
            started = true;
            prevClose = close;
            value = volume;
            return;
        }
        if (close > prevClose) value += volume;
        else if (close < prevClose) value -= volume;
        prevClose = close;
    }

    public double value() { return value; }

    @Override public int width() { return 1; }

    @Override public void update(final double high, final double low, final double close, final double volume,
                                 final double[] out, final int offset) {
        update(close, volume);
        out[offset] = value;
    }

    @Override public void copyFrom(final BarIndicator other) {
        final Obv o = (Obv) other;
        started = o.started;
        prevClose = o.prevClose;
        value = o.value;
    }

    @Override public int stateSize() { return 1 + 2 * Double.BYTES; }

    @Override public void writeState(final ByteBuffer buffer) {
        buffer.put(started ? (byte) 1 : (byte) 0).putDouble(prevClose).putDouble(value);
    }

    @Override public void readState(final ByteBuffer buffer) {
        started = States.getFlag(buffer, "started");
        prevClose = buffer.getDouble();
        value = buffer.getDouble();
    }
}
