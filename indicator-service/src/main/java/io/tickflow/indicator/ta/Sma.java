package io.tickflow.indicator.ta;

import java.nio.ByteBuffer;

/**
 * Simple moving average with TA-Lib's running total: the oldest input leaves the sum only after the division, so
 * between ticks the sum holds the last {@code period - 1} inputs (bit-exact with TA-Lib's {@code sma}).
 * O(1) per update, allocation-free. Confined to one thread.
 */
public final class Sma implements Indicator {
    private final int period;
    private final double[] ring;
    private int pos;
    private int count;
    private double sum;
    private double peak; // the largest input in sum since it was seeded (WindowSums)
    private double value = Double.NaN;

    public Sma(final int period) {
        if (period < 2) throw new IllegalArgumentException("SMA period must be >= 2, was " + period);
        this.period = period;
        this.ring = new double[period];
    }

    public void update(final double price) {
        ring[pos] = price;
        if (++pos == period) pos = 0;
        sum += price;
        peak = WindowSums.raise(peak, price);
        if (count < period && ++count < period) return;
        value = sum / period;
        sum -= ring[pos]; // the input period-1 ticks ago
        if (WindowSums.lostPrecision(peak, sum)) reseed();
    }

    /** The last period-1 inputs, oldest first: what TA-Lib's running total holds between ticks. */
    private void reseed() {
        final int oldest = WindowSums.next(ring, pos);
        sum = WindowSums.sum(ring, oldest, period - 1);
        peak = WindowSums.maxAbs(ring, oldest, period - 1);
    }

    /** Writes what {@link #update} of {@code price} would give, without changing the state. O(1). */
    public void peek(final double price, final double[] out, final int offset) {
        final int n = count < period ? count + 1 : count;
        out[offset] = n < period ? value : (sum + price) / period;
    }

    public double value() { return value; }

    @Override public int width() { return 1; }

    @Override public void update(final double price, final double volume, final double[] out, final int offset) {
        update(price);
        out[offset] = value;
    }

    @Override public void copyFrom(final Indicator other) {
        final Sma o = (Sma) other;
        System.arraycopy(o.ring, 0, ring, 0, ring.length);
        pos = o.pos;
        count = o.count;
        sum = o.sum;
        peak = o.peak;
        value = o.value;
    }

    @Override public int stateSize() { return States.ringBytes(period) + 2 * Integer.BYTES + 2 * Double.BYTES; }

    @Override public void writeState(final ByteBuffer buffer) {
        States.putRing(buffer, ring);
        buffer.putInt(pos).putInt(count).putDouble(sum).putDouble(value);
    }

    @Override public void readState(final ByteBuffer buffer) {
        States.getRing(buffer, ring);
        pos = States.getIndex(buffer, "pos", period - 1);
        count = States.getIndex(buffer, "count", period);
        sum = buffer.getDouble();
        peak = WindowSums.maxAbs(ring, 0, period);
        value = buffer.getDouble();
    }
}
