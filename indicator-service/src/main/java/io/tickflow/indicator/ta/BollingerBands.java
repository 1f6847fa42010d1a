package io.tickflow.indicator.ta;

import java.nio.ByteBuffer;

/**
 * Bollinger Bands over an SMA middle, as TA-Lib's {@code bbands(…, MAType.Sma)}: population σ from running sums,
 * {@code E[x²] - middle²} in TA-Lib's exact order of operations (this subtraction cancels catastrophically, so any
 * other order misses TA-Lib by up to ~1e-7); a variance below 1e-8 counts as 0. Outputs upper, middle, lower.
 * O(1) per update, allocation-free. Confined to one thread.
 */
public final class BollingerBands implements Indicator {
    private final int period;
    private final double devUp;
    private final double devDn;
    private final double[] ring;
    private int pos;
    private int count;
    private double sum;
    private double sumSq;
    private double peak; // the largest input in the sums since they were seeded (WindowSums)
    private double upper = Double.NaN;
    private double middle = Double.NaN;
    private double lower = Double.NaN;

    public BollingerBands(final int period, final double devUp, final double devDn) {
        if (period < 2) throw new IllegalArgumentException("BBANDS period must be >= 2, was " + period);
        if (!(devUp > 0.0) || !Double.isFinite(devUp)) {
            throw new IllegalArgumentException("BBANDS upper deviation must be finite and > 0, was " + devUp);
        }
        if (!(devDn > 0.0) || !Double.isFinite(devDn)) {
            throw new IllegalArgumentException("BBANDS lower deviation must be finite and > 0, was " + devDn);
        }
        this.period = period;
        this.devUp = devUp;
        this.devDn = devDn;
        this.ring = new double[period];
    }

    public void update(final double price) {
        ring[pos] = price;
        if (++pos == period) pos = 0;
        sum += price;
        double t = price;
        t *= t;
        sumSq += t;
        peak = WindowSums.raise(peak, price);
        if (count < period && ++count < period) return;
        final double oldest = ring[pos];
        middle = sum / period;
        sum -= oldest;
        double meanSq = sumSq / period;
        t = oldest;
        t *= t;
        sumSq -= t;
        t = middle;
        t *= t;
        meanSq -= t;
        final double sd = meanSq < 0.00000001 ? 0.0 : Math.sqrt(meanSq);
        upper = middle + sd * devUp;
        lower = middle - sd * devDn;
        if (WindowSums.lostPrecision(peak, sum) || WindowSums.lostPrecisionOfSquares(peak, sumSq)) reseed();
    }

    /** The last period-1 inputs, oldest first: what TA-Lib's running sums hold between ticks. */
    private void reseed() {
        final int oldest = WindowSums.next(ring, pos);
        sum = WindowSums.sum(ring, oldest, period - 1);
        sumSq = WindowSums.sumOfSquares(ring, oldest, period - 1);
        peak = WindowSums.maxAbs(ring, oldest, period - 1);
    }

    /** Writes what {@link #update} of {@code price} would give, without changing the state. O(1). */
    public void peek(final double price, final double[] out, final int offset) {
        final int n = count < period ? count + 1 : count;
        if (n < period) {
            out[offset] = upper;
            out[offset + 1] = middle;
            out[offset + 2] = lower;
            return;
        }
        double t = price;
        t *= t;
        final double m = (sum + price) / period;
        double meanSq = (sumSq + t) / period;
        t = m;
        t *= t;
        meanSq -= t;
        final double sd = meanSq < 0.00000001 ? 0.0 : Math.sqrt(meanSq);
        out[offset] = m + sd * devUp;
        out[offset + 1] = m;
        out[offset + 2] = m - sd * devDn;
    }

    public double upper() { return upper; }

    public double middle() { return middle; }

    public double lower() { return lower; }

    @Override public int width() { return 3; }

    @Override public void update(final double price, final double volume, final double[] out, final int offset) {
        update(price);
        out[offset] = upper;
        out[offset + 1] = middle;
        out[offset + 2] = lower;
    }

    @Override public void copyFrom(final Indicator other) {
        final BollingerBands o = (BollingerBands) other;
        System.arraycopy(o.ring, 0, ring, 0, ring.length);
        pos = o.pos;
        count = o.count;
        sum = o.sum;
        peak = o.peak;
        sumSq = o.sumSq;
        upper = o.upper;
        middle = o.middle;
        lower = o.lower;
    }

    @Override public int stateSize() { return States.ringBytes(period) + 2 * Integer.BYTES + 5 * Double.BYTES; }

    @Override public void writeState(final ByteBuffer buffer) {
        States.putRing(buffer, ring);
        buffer.putInt(pos).putInt(count).putDouble(sum).putDouble(sumSq)
                .putDouble(upper).putDouble(middle).putDouble(lower);
    }

    @Override public void readState(final ByteBuffer buffer) {
        States.getRing(buffer, ring);
        pos = States.getIndex(buffer, "pos", period - 1);
        count = States.getIndex(buffer, "count", period);
        sum = buffer.getDouble();
        sumSq = buffer.getDouble();
        peak = WindowSums.maxAbs(ring, 0, period);
        upper = buffer.getDouble();
        middle = buffer.getDouble();
        lower = buffer.getDouble();
    }
}
