package io.tickflow.indicator.ta;

import java.nio.ByteBuffer;

/**
 * Average true range as TA-Lib's {@code atr}: true range from the second bar ({@code max(high-low, |prevClose-high|,
 * |prevClose-low|)}), the first value (at bar {@code period}) the plain average of the first {@code period} true
 * ranges, then Wilder's {@code atr *= period-1; atr += tr; atr /= period}. O(1) per update, allocation-free.
 * Confined to one thread.
 */
public final class Atr implements BarIndicator {
    private final int period;
    private int count; // bars seen, saturating at period + 1
    private double prevClose;
    private double sum;
    private double value = Double.NaN;

    public Atr(final int period) {
        if (period < 1) throw new IllegalArgumentException("ATR period must be >= 1, was " + period);
        this.period = period;
    }

    public void update(final double high, final double low, final double close) {
        if (count == 0) {
            prevClose = close;
            count = 1;
            return;
        }
        final double tr = trueRange(high, low, prevClose);
        prevClose = close;
        if (count <= period) {
            sum += tr;
            if (count++ == period) value = sum / period;
            return;
        }
        double atr = value;
        atr *= (period - 1);
        atr += tr;
        atr /= period;
        value = atr;
    }

    /** What {@link #update} would make {@link #value()}, without changing the state. O(1). */
    public double peekValue(final double high, final double low, final double close) {
        if (count == 0) return value;
        final double tr = trueRange(high, low, prevClose);
        if (count <= period) return count == period ? (sum + tr) / period : value;
        double atr = value;
        atr *= (period - 1);
        atr += tr;
        atr /= period;
        return atr;
    }

    /** TA-Lib's TRANGE: high-low, or the gap to the previous close when that is larger. */
    static double trueRange(final double high, final double low, final double prevClose) {
        double greatest = high - low;
        final double toHigh = Math.abs(prevClose - high);
        if (toHigh > greatest) greatest = toHigh;
        final double toLow = Math.abs(prevClose - low);
        if (toLow > greatest) greatest = toLow;
        return greatest;
    }

    public double value() { return value; }

    @Override public int width() { return 1; }

    @Override public void update(final double high, final double low, final double close, final double volume,
                                 final double[] out, final int offset) {
        update(high, low, close);
        out[offset] = value;
    }

    @Override public void copyFrom(final BarIndicator other) {
        final Atr o = (Atr) other;
        count = o.count;
        prevClose = o.prevClose;
        sum = o.sum;
        value = o.value;
    }

    @Override public int stateSize() { return Integer.BYTES + 3 * Double.BYTES; }

    @Override public void writeState(final ByteBuffer buffer) {
        buffer.putInt(count).putDouble(prevClose).putDouble(sum).putDouble(value);
    }

    @Override public void readState(final ByteBuffer buffer) {
        count = States.getIndex(buffer, "count", period + 1);
        prevClose = buffer.getDouble();
        sum = buffer.getDouble();
        value = buffer.getDouble();
    }
}
