package io.tickflow.indicator.ta;

import java.nio.ByteBuffer;

/**
 * Weighted moving average (weights 1..period, newest heaviest) kept as TA-Lib does: a running weighted sum and a
 * running plain sum, each tick adding {@code price * period} and then taking the plain sum off.
 * O(1) per update, allocation-free. Confined to one thread.
 */
public final class Wma implements Indicator {
    private final int period;
    private final double divider;
    private final double[] ring;
    private int pos;
    private int count;
    private double sum;
    private double sub;
    private double trailing;
    private double peak; // the largest input in the sums since they were seeded (WindowSums)
    private double value = Double.NaN;

    public Wma(final int period) {
        // the int divider period*(period+1)/2 (TA-Lib's type) overflows above 46340
        if (period < 2 || period > 46340) {
            throw new IllegalArgumentException("WMA period must be in 2..46340, was " + period);
        }
        this.period = period;
        this.divider = (period * (period + 1)) >> 1;
        this.ring = new double[period];
    }

    public void update(final double price) {
        ring[pos] = price;
        if (++pos == period) pos = 0;
        peak = Math.max(peak, Math.abs(price));
        if (count < period - 1) {
            sub += price;
            sum += price * ++count; // weight = 1-based position
            return;
        }
        count = period;
        sub += price;
        sub -= trailing;
        sum += price * period;
        trailing = ring[pos]; // the oldest input of this window
        value = sum / divider;
        sum -= sub;
        if (WindowSums.lostPrecision(peak, sub - trailing)) reseed();
    }

    /**
     * TA-Lib's seed from the last period-1 inputs, oldest first: their plain sum, their sum weighted 1..period-1, and
     * no trailing input to take off yet.
     */
    private void reseed() {
        final int oldest = WindowSums.next(ring, pos);
        sub = 0.0;
        sum = 0.0;
        for (int i = 1, j = oldest; i < period; i++, j = WindowSums.next(ring, j)) {
            sub += ring[j];
            sum += ring[j] * i;
        }
        trailing = 0.0;
        peak = WindowSums.maxAbs(ring, oldest, period - 1);
    }

    public double value() { return value; }

    @Override public int width() { return 1; }

    @Override public void update(final double price, final double volume, final double[] out, final int offset) {
        update(price);
        out[offset] = value;
    }

    @Override public void copyFrom(final Indicator other) {
        final Wma o = (Wma) other;
        System.arraycopy(o.ring, 0, ring, 0, ring.length);
        pos = o.pos;
        count = o.count;
        sum = o.sum;
        peak = o.peak;
        sub = o.sub;
        trailing = o.trailing;
        value = o.value;
    }

    @Override public int stateSize() { return States.ringBytes(period) + 2 * Integer.BYTES + 4 * Double.BYTES; }

    @Override public void writeState(final ByteBuffer buffer) {
        States.putRing(buffer, ring);
        buffer.putInt(pos).putInt(count).putDouble(sum).putDouble(sub).putDouble(trailing).putDouble(value);
    }

    @Override public void readState(final ByteBuffer buffer) {
        States.getRing(buffer, ring);
        pos = States.getIndex(buffer, "pos", period - 1);
        count = States.getIndex(buffer, "count", period);
        sum = buffer.getDouble();
        sub = buffer.getDouble();
        trailing = buffer.getDouble();
        peak = WindowSums.maxAbs(ring, 0, period);
        value = buffer.getDouble();
    }
}
