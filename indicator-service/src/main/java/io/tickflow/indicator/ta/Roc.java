package io.tickflow.indicator.ta;

import java.nio.ByteBuffer;

/**
 * Rate of change as TA-Lib's {@code roc}: {@code ((price / priceNTicksAgo) - 1.0) * 100.0}, and 0.0 when the earlier
 * price is 0. First value at tick {@code period}. O(1) per update, allocation-free. Confined to one thread.
 */
public final class Roc implements Indicator {
    private final int period;
    private final double[] ring;
    private int pos;
    private int count;
    private double value = Double.NaN;

    public Roc(final int period) {
        if (period < 1) throw new IllegalArgumentException("ROC period must be >= 1, was " + period);
        this.period = period;
        this.ring = new double[period];
    }

    public void update(final double price) {
        final double before = ring[pos]; // the input period ticks ago, once count == period
        ring[pos] = price;
        if (++pos == period) pos = 0;
        if (count < period) {
            count++;
            return;
        }
        value = before != 0.0 ? ((price / before) - 1.0) * 100.0 : 0.0;
    }

    public double value() { return value; }

    @Override public int width() { return 1; }

    @Override public void update(final double price, final double volume, final double[] out, final int offset) {
        update(price);
        out[offset] = value;
    }

    @Override public void copyFrom(final Indicator other) {
        final Roc o = (Roc) other;
        System.arraycopy(o.ring, 0, ring, 0, ring.length);
        pos = o.pos;
        count = o.count;
        value = o.value;
    }

    @Override public int stateSize() { return States.ringBytes(period) + 2 * Integer.BYTES + Double.BYTES; }

    @Override public void writeState(final ByteBuffer buffer) {
        States.putRing(buffer, ring);
        buffer.putInt(pos).putInt(count).putDouble(value);
    }

    @Override public void readState(final ByteBuffer buffer) {
        States.getRing(buffer, ring);
        pos = States.getIndex(buffer, "pos", period - 1);
        count = States.getIndex(buffer, "count", period);
        value = buffer.getDouble();
    }
}
