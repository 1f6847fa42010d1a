package io.tickflow.indicator.ta;

import java.nio.ByteBuffer;

/**
 * Slow stochastic as TA-Lib's {@code stoch(…, fastK, slowK, MAType.Sma, slowD, MAType.Sma)}: over the last
 * {@code fastK} bars {@code diff = (HH - LL) / 100.0}, {@code fastK = diff != 0 ? (close - LL) / diff : 0.0} (TA-Lib's
 * form, not bit-equal to {@code 100 * (close - LL) / (HH - LL)}); slow %K = SMA(slowK) of fast %K and %D = SMA(slowD)
 * of slow %K, both with TA-Lib's running sums (§1). Outputs k, d, both from bar
 * {@code (fastK-1) + (slowK-1) + (slowD-1)}. Amortised O(1) per update, allocation-free. Confined to one thread.
 */
public final class Stoch implements BarIndicator {
    private final int slowKPeriod;
    private final int slowDPeriod;
    private final RangeWindow window;
    private final double[] ring; // [0, slowK) = fast %K, [slowK, slowK + slowD) = slow %K
    private int kPos;
    private int kCount;
    private double kSum;
    private int dPos;
    private int dCount;
    private double dSum;
    private double k = Double.NaN;
    private double d = Double.NaN;

    public Stoch(final int fastKPeriod, final int slowKPeriod, final int slowDPeriod) {
        if (fastKPeriod < 1) throw new IllegalArgumentException("STOCH fast %K period must be >= 1, was " + fastKPeriod);
        if (slowKPeriod < 1) throw new IllegalArgumentException("STOCH slow %K period must be >= 1, was " + slowKPeriod);
        if (slowDPeriod < 1) throw new IllegalArgumentException("STOCH slow %D period must be >= 1, was " + slowDPeriod);
        this.slowKPeriod = slowKPeriod;
        this.slowDPeriod = slowDPeriod;
        this.window = new RangeWindow(fastKPeriod);
        this.ring = new double[slowKPeriod + slowDPeriod];
    }

    public void update(final double high, final double low, final double close) {
        if (!window.update(high, low)) return;
        final double lowest = window.lowest();
        final double diff = (window.highest() - lowest) / 100.0;
        final double fastK = diff != 0.0 ? (close - lowest) / diff : 0.0;
        // slow %K: SMA(slowK) of fast %K, the oldest input leaving the sum after the division
        ring[kPos] = fastK;
        if (++kPos == slowKPeriod) kPos = 0;
        kSum += fastK;
        if (kCount < slowKPeriod && ++kCount < slowKPeriod) return;
        final double slowK = kSum / slowKPeriod;
        kSum -= ring[kPos];
        // %D: SMA(slowD) of slow %K
        final int dSlot = slowKPeriod + dPos;
        ring[dSlot] = slowK;
        if (++dPos == slowDPeriod) dPos = 0;
        dSum += slowK;
        if (dCount < slowDPeriod && ++dCount < slowDPeriod) return;
        d = dSum / slowDPeriod;
        dSum -= ring[slowKPeriod + dPos];
        k = slowK;
    }

    /** Writes what {@link #update} would give, without changing the state. Amortised O(1), as update. */
    public void peek(final double high, final double low, final double close, final double[] out, final int offset) {
        out[offset] = k;
        out[offset + 1] = d;
        if (!window.fullAfterOneMore()) return;
        final double lowest = window.peekLowest(low);
        final double diff = (window.peekHighest(high) - lowest) / 100.0;
        final double fastK = diff != 0.0 ? (close - lowest) / diff : 0.0;
        if ((kCount < slowKPeriod ? kCount + 1 : kCount) < slowKPeriod) return;
        final double slowK = (kSum + fastK) / slowKPeriod;
        if ((dCount < slowDPeriod ? dCount + 1 : dCount) < slowDPeriod) return;
        out[offset] = slowK;
        out[offset + 1] = (dSum + slowK) / slowDPeriod;
    }

    public double k() { return k; }

    public double d() { return d; }

    @Override public int width() { return 2; }

    @Override public void update(final double high, final double low, final double close, final double volume,
                                 final double[] out, final int offset) {
        update(high, low, close);
        out[offset] = k;
        out[offset + 1] = d;
    }

    @Override public void copyFrom(final BarIndicator other) {
        final Stoch o = (Stoch) other;
        window.copyFrom(o.window);
        System.arraycopy(o.ring, 0, ring, 0, ring.length);
        kPos = o.kPos;
        kCount = o.kCount;
        kSum = o.kSum;
        dPos = o.dPos;
        dCount = o.dCount;
        dSum = o.dSum;
        k = o.k;
        d = o.d;
    }

    @Override public int stateSize() {
        return window.stateSize() + States.ringBytes(ring.length) + 4 * Integer.BYTES + 4 * Double.BYTES;
    }

    @Override public void writeState(final ByteBuffer buffer) {
        window.writeState(buffer);
        States.putRing(buffer, ring);
        buffer.putInt(kPos).putInt(kCount).putDouble(kSum).putInt(dPos).putInt(dCount).putDouble(dSum)
                .putDouble(k).putDouble(d);
    }

    @Override public void readState(final ByteBuffer buffer) {
        window.readState(buffer);
        States.getRing(buffer, ring);
        kPos = States.getIndex(buffer, "kPos", slowKPeriod - 1);
        kCount = States.getIndex(buffer, "kCount", slowKPeriod);
        kSum = buffer.getDouble();
        dPos = States.getIndex(buffer, "dPos", slowDPeriod - 1);
        dCount = States.getIndex(buffer, "dCount", slowDPeriod);
        dSum = buffer.getDouble();
        k = buffer.getDouble();
        d = buffer.getDouble();
    }
}
