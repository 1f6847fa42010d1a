package io.tickflow.indicator.ta;

import java.nio.ByteBuffer;

/**
 * Average directional index as TA-Lib's {@code adx}: +DM/-DM and true range summed over the first
 * {@code period - 1} changes, then Wilder-smoothed ({@code dm -= dm / period; dm += new},
 * {@code tr = tr - tr / period + new}); DI = {@code 100.0 * (dm / tr)}, DX = {@code 100.0 * (|-DI - +DI| / (-DI + +DI))}
 * (skipped while tr or the DI sum is within 1e-8 of 0); the first ADX (bar {@code 2 * period - 1}) is the plain
 * average of {@code period} DX values, then {@code adx = ((adx * (period - 1)) + dx) / period}.
 * O(1) per update, allocation-free. Confined to one thread.
 */
public final class Adx implements BarIndicator {
    private final int period;
    private final int lookback;
    private int count; // bars seen, saturating at lookback + 1
    private double prevHigh;
    private double prevLow;
    private double prevClose;
    private double plusDm;
    private double minusDm;
    private double tr;
    private double sumDx;
    private double value = Double.NaN;

    public Adx(final int period) {
        if (period < 2) throw new IllegalArgumentException("ADX period must be >= 2, was " + period);
        this.period = period;
        this.lookback = 2 * period - 1;
    }

    public void update(final double high, final double low, final double close) {
        if (count == 0) {
            prevHigh = high;
            prevLow = low;
            prevClose = close;
            count = 1;
            return;
        }
        final double diffP = high - prevHigh;
        prevHigh = high;
        final double diffM = prevLow - low;
        prevLow = low;
        final boolean seeding = count < period;
        if (!seeding) {
            minusDm -= minusDm / period;
            plusDm -= plusDm / period;
        }
        if ((diffM > 0) && (diffP < diffM)) minusDm += diffM;
        else if ((diffP > 0) && (diffP > diffM)) plusDm += diffP;
        final double range = Atr.trueRange(high, low, prevClose);
        prevClose = close;
        if (seeding) {
            tr += range;
            count++;
            return;
        }
        tr = tr - (tr / period) + range;
        if (count <= lookback) { // summing the first period DX values
            if (!isZero(tr)) {
                final double minusDi = 100.0 * (minusDm / tr);
                final double plusDi = 100.0 * (plusDm / tr);
                final double sumDi = minusDi + plusDi;
                if (!isZero(sumDi)) sumDx += 100.0 * (Math.abs(minusDi - plusDi) / sumDi);
            }
            if (count++ == lookback) value = sumDx / period;
            return;
        }
        if (isZero(tr)) return;
        final double minusDi = 100.0 * (minusDm / tr);
        final double plusDi = 100.0 * (plusDm / tr);
        final double sumDi = minusDi + plusDi;
        if (isZero(sumDi)) return;
        final double dx = 100.0 * (Math.abs(minusDi - plusDi) / sumDi);
        value = ((value * (period - 1)) + dx) / period;
    }

    private static boolean isZero(final double v) {
        return -0.00000001 < v && v < 0.00000001;
    }

    public double value() { return value; }

    @Override public int width() { return 1; }

    @Override public void update(final double high, final double low, final double close, final double volume,
                                 final double[] out, final int offset) {
        update(high, low, close);
        out[offset] = value;
    }

    @Override public void copyFrom(final BarIndicator other) {
        final Adx o = (Adx) other;
        count = o.count;
        prevHigh = o.prevHigh;
        prevLow = o.prevLow;
        prevClose = o.prevClose;
        plusDm = o.plusDm;
        minusDm = o.minusDm;
        tr = o.tr;
        sumDx = o.sumDx;
        value = o.value;
    }

    @Override public int stateSize() { return Integer.BYTES + 8 * Double.BYTES; }

    @Override public void writeState(final ByteBuffer buffer) {
        buffer.putInt(count).putDouble(prevHigh).putDouble(prevLow).putDouble(prevClose).putDouble(plusDm)
                .putDouble(minusDm).putDouble(tr).putDouble(sumDx).putDouble(value);
    }

    @Override public void readState(final ByteBuffer buffer) {
        count = States.getIndex(buffer, "count", lookback + 1);
        prevHigh = buffer.getDouble();
        prevLow = buffer.getDouble();
        prevClose = buffer.getDouble();
        plusDm = buffer.getDouble();
        minusDm = buffer.getDouble();
        tr = buffer.getDouble();
        sumDx = buffer.getDouble();
        value = buffer.getDouble();
    }
}
