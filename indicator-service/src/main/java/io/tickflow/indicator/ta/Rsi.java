package io.tickflow.indicator.ta;

import java.nio.ByteBuffer;

/**
 * Wilder's relative strength index as TA-Lib computes it: the first value (at tick {@code period}) uses the simple
 * average of the first {@code period} price changes; after that both averages are multiplied by
 * {@code period - 1}, the change added, and divided by {@code period}. A window with no movement gives 0.0.
 * O(1) per update, allocation-free. Confined to one thread.
 */
public final class Rsi implements Indicator {
    private final int period;
    private int count;
    private double prev;
    private double gain;
    private double loss;
    private double value = Double.NaN;

    public Rsi(final int period) {
        if (period < 2) throw new IllegalArgumentException("RSI period must be >= 2, was " + period);
        this.period = period;
    }

    public void update(final double price) {
        if (count == 0) {
            prev = price;
            count = 1;
            return;
        }
        final double change = price - prev;
        prev = price;
        if (count <= period) { // seeding: plain sums of the first period changes
            addChange(change);
            if (count++ < period) return;
        } else {
            loss *= (period - 1);
            gain *= (period - 1);
            addChange(change);
        }
        loss /= period;
        gain /= period;
        final double total = gain + loss;
        value = (-0.00000001 < total && total < 0.00000001) ? 0.0 : 100.0 * (gain / total);
    }

    /**
     * TA-Lib's {@code if (change < 0) loss -= change; else gain += change;} without the branch, which a random walk
     * mispredicts half the time: the side that TA-Lib skips gets ±0.0, which leaves a non-negative sum bit-identical
     * (the sums start at +0.0 and a price change is never -0.0).
     */
    private void addChange(final double change) {
        loss -= Math.min(change, 0.0);
        gain += Math.max(change, 0.0);
    }

    /** Writes what {@link #update} of {@code price} would give, without changing the state. O(1). */
    public void peek(final double price, final double[] out, final int offset) {
        if (count == 0) {
            out[offset] = value;
            return;
        }
        final double change = price - prev;
        double g = gain;
        double l = loss;
        if (count <= period) {
            l -= Math.min(change, 0.0);
            g += Math.max(change, 0.0);
            if (count < period) {
                out[offset] = value;
                return;
            }
        } else {
            l *= (period - 1);
            g *= (period - 1);
            l -= Math.min(change, 0.0);
            g += Math.max(change, 0.0);
        }
        l /= period;
        g /= period;
        final double total = g + l;
        out[offset] = (-0.00000001 < total && total < 0.00000001) ? 0.0 : 100.0 * (g / total);
    }

    public double value() { return value; }

    @Override public int width() { return 1; }

    @Override public void update(final double price, final double volume, final double[] out, final int offset) {
        update(price);
        out[offset] = value;
    }

    @Override public void copyFrom(final Indicator other) {
        final Rsi o = (Rsi) other;
        count = o.count;
        prev = o.prev;
        gain = o.gain;
        loss = o.loss;
        value = o.value;
    }

    @Override public int stateSize() { return Integer.BYTES + 4 * Double.BYTES; }

    @Override public void writeState(final ByteBuffer buffer) {
        buffer.putInt(count).putDouble(prev).putDouble(gain).putDouble(loss).putDouble(value);
    }

    @Override public void readState(final ByteBuffer buffer) {
        count = States.getIndex(buffer, "count", period + 1);
        prev = buffer.getDouble();
        gain = buffer.getDouble();
        loss = buffer.getDouble();
        value = buffer.getDouble();
    }
}
