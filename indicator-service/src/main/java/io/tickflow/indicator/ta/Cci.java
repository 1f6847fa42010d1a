package io.tickflow.indicator.ta;

import java.nio.ByteBuffer;

/**
 * Commodity channel index as TA-Lib's {@code cci}: typical price {@code (high + low + close) / 3} in a ring of
 * {@code period}; the mean and the mean absolute deviation are summed over the ring in slot order (TA-Lib's order,
 * which bit-exactness needs), {@code cci = (tp - mean) / (0.015 * (meanDev / period))}, 0.0 when either is 0.
 * First value at bar {@code period - 1}. The mean deviation has no running form, so an update is O(period) (as in
 * TA-Lib); allocation-free. Confined to one thread.
 */
public final class Cci implements BarIndicator {
    private final int period;
    private final double[] ring;
    private int pos;
    private int count;
    private double value = Double.NaN;

    public Cci(final int period) {
        if (period < 2) throw new IllegalArgumentException("CCI period must be >= 2, was " + period);
        this.period = period;
        this.ring = new double[period];
    }

    public void update(final double high, final double low, final double close) {
        final double typical = (high + low + close) / 3;
        ring[pos] = typical;
        if (++pos == period) pos = 0;
        if (count < period && ++count < period) return;
        final double[] ring = this.ring;
        double average = 0;
        for (int j = 0; j < period; j++) average += ring[j];
        average /= period;
        double deviation = 0;
        for (int j = 0; j < period; j++) deviation += Math.abs(ring[j] - average);
        final double distance = typical - average;
        value = distance != 0.0 && deviation != 0.0 ? distance / (0.015 * (deviation / period)) : 0.0;
    }

    public double value() { return value; }

    @Override public int width() { return 1; }

    @Override public void update(final double high, final double low, final double close, final double volume,
                                 final double[] out, final int offset) {
        update(high, low, close);
        out[offset] = value;
    }

    @Override public void copyFrom(final BarIndicator other) {
        final Cci o = (Cci) other;
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
