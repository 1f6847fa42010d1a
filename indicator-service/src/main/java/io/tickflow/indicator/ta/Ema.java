package io.tickflow.indicator.ta;

import java.nio.ByteBuffer;

/**
 * Exponential moving average, seeded with the SMA of the first {@code period} inputs (TA-Lib classic), then
 * {@code ((price - prev) * k) + prev} with {@code k = 2.0 / (period + 1)}. O(1) per update, allocation-free.
 * Confined to one thread.
 */
public final class Ema implements Indicator {
    static final int STATE_BYTES = Integer.BYTES + 2 * Double.BYTES;

    private final int period;
    private final double k;
    private double seedSum;
    private int count;
    private double value = Double.NaN;

    public Ema(final int period) {
        if (period < 2) throw new IllegalArgumentException("EMA period must be >= 2, was " + period);
        this.period = period;
        this.k = 2.0 / (double) (period + 1);
    }

    public void update(final double price) {
        if (count < period) {
            seedSum += price;
            if (++count == period) value = seedSum / period;
            return;
        }
        value = ((price - value) * k) + value;
    }

    /** What {@link #update} of {@code price} would make {@link #value()}, without changing the state. O(1). */
    public double peekValue(final double price) {
        if (count < period) return count + 1 == period ? (seedSum + price) / period : value;
        return ((price - value) * k) + value;
    }

    /** Writes what {@link #update} of {@code price} would give, without changing the state. O(1). */
    public void peek(final double price, final double[] out, final int offset) {
        out[offset] = peekValue(price);
    }

    public double value() { return value; }

    @Override public int width() { return 1; }

    @Override public void update(final double price, final double volume, final double[] out, final int offset) {
        update(price);
        out[offset] = value;
    }

    @Override public void copyFrom(final Indicator other) {
        final Ema o = (Ema) other;
        seedSum = o.seedSum;
        count = o.count;
        value = o.value;
    }

    @Override public int stateSize() { return STATE_BYTES; }

    @Override public void writeState(final ByteBuffer buffer) {
        buffer.putInt(count).putDouble(seedSum).putDouble(value);
    }

    @Override public void readState(final ByteBuffer buffer) {
        count = States.getIndex(buffer, "count", period);
        seedSum = buffer.getDouble();
        value = buffer.getDouble();
    }
}
