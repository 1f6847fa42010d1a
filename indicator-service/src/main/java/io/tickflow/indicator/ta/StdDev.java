package io.tickflow.indicator.ta;

import java.nio.ByteBuffer;

/**
 * Population standard deviation times {@code nbDev}, as TA-Lib's {@code stdDev}: running sums of x and x², variance
 * {@code S2/N - (S1/N)²} in TA-Lib's order, a variance below 1e-8 counts as 0.
 * O(1) per update, allocation-free. Confined to one thread.
 */
public final class StdDev implements Indicator {
    private final int period;
    private final double nbDev;
    private final double[] ring;
    private int pos;
    private int count;
    private double sum;
    private double sumSq;
    private double peak; // the largest input in the sums since they were seeded (WindowSums)
    private double value = Double.NaN;

    public StdDev(final int period, final double nbDev) {
        if (period < 2) throw new IllegalArgumentException("STDDEV period must be >= 2, was " + period);
        if (!(nbDev > 0.0) || !Double.isFinite(nbDev)) {
            throw new IllegalArgumentException("STDDEV deviations must be finite and > 0, was " + nbDev);
        }
        this.period = period;
        this.nbDev = nbDev;
        this.ring = new double[period];
    }

    public void update(final double price) {
        ring[pos] = price;
        if (++pos == period) pos = 0;
        sum += price;
        double t = price;
        t *= t;
        sumSq += t;
        peak = Math.max(peak, Math.abs(price));
        if (count < period && ++count < period) return;
        final double mean = sum / period;
        final double meanSq = sumSq / period;
        t = ring[pos]; // the oldest input of this window
        sum -= t;
        t *= t;
        sumSq -= t;
        final double variance = meanSq - mean * mean;
        value = variance < 0.00000001 ? 0.0 : Math.sqrt(variance) * nbDev;
        if (WindowSums.lostPrecision(peak, sum) || WindowSums.lostPrecisionOfSquares(peak, sumSq)) reseed();
    }

    /** The last period-1 inputs, oldest first: what TA-Lib's running sums hold between ticks. */
    private void reseed() {
        final int oldest = WindowSums.next(ring, pos);
        sum = WindowSums.sum(ring, oldest, period - 1);
        sumSq = WindowSums.sumOfSquares(ring, oldest, period - 1);
        peak = WindowSums.maxAbs(ring, oldest, period - 1);
    }

    public double value() { return value; }

    @Override public int width() { return 1; }

    @Override public void update(final double price, final double volume, final double[] out, final int offset) {
        update(price);
        out[offset] = value;
    }

    @Override public void copyFrom(final Indicator other) {
        final StdDev o = (StdDev) other;
        System.arraycopy(o.ring, 0, ring, 0, ring.length);
        pos = o.pos;
        count = o.count;
        sum = o.sum;
        peak = o.peak;
        sumSq = o.sumSq;
        value = o.value;
    }

    @Override public int stateSize() { return States.ringBytes(period) + 2 * Integer.BYTES + 3 * Double.BYTES; }

    @Override public void writeState(final ByteBuffer buffer) {
        States.putRing(buffer, ring);
        buffer.putInt(pos).putInt(count).putDouble(sum).putDouble(sumSq).putDouble(value);
    }

    @Override public void readState(final ByteBuffer buffer) {
        States.getRing(buffer, ring);
        pos = States.getIndex(buffer, "pos", period - 1);
        count = States.getIndex(buffer, "count", period);
        sum = buffer.getDouble();
        sumSq = buffer.getDouble();
        peak = WindowSums.maxAbs(ring, 0, period);
        value = buffer.getDouble();
    }
}
