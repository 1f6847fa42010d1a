package io.tickflow.indicator.ta;

import java.nio.ByteBuffer;

/**
 * Money flow index as TA-Lib's {@code mfi}: money flow {@code typical * volume} (typical = {@code (h + l + c) / 3.0})
 * counts as positive when the typical price rose, negative when it fell, neither when unchanged; the sums over the
 * last {@code period} flows are kept running (the leaving flow subtracted first, as TA-Lib), and
 * {@code mfi = 100.0 * (pos / (pos + neg))}, 0.0 when {@code pos + neg < 1.0}. First value at bar {@code period}.
 * O(1) per update, allocation-free. Confined to one thread.
 */
public final class Mfi implements BarIndicator {
    private final int period;
    private final double[] ring; // [2*i] = positive flow, [2*i+1] = negative flow
    private int pos;
    private int count; // bars seen, saturating at period + 1
    private double prevTypical;
    private double positive;
    private double negative;
    private double value = Double.NaN;

    public Mfi(final int period) {
        if (period < 2) throw new IllegalArgumentException("MFI period must be >= 2, was " + period);
        this.period = period;
        this.ring = new double[2 * period];
    }

    public void update(final double high, final double low, final double close, final double volume) {
        final double typical = (high + low + close) / 3.0;
        if (count == 0) {
            prevTypical = typical;
            count = 1;
            return;
        }
        final boolean full = count > period;
        final int slot = 2 * pos;
        if (full) {
            positive -= ring[slot];
            negative -= ring[slot + 1];
        }
        final double change = typical - prevTypical;
        prevTypical = typical;
        final double flow = typical * volume;
        if (change < 0) {
            ring[slot + 1] = flow;
            negative += flow;
            ring[slot] = 0.0;
        } else if (change > 0) {
            ring[slot] = flow;
            positive += flow;
            ring[slot + 1] = 0.0;
        } else {
            ring[slot] = 0.0;
            ring[slot + 1] = 0.0;
        }
        if (++pos == period) pos = 0;
        if (!full && count++ < period) return;
        final double total = positive + negative;
        value = total < 1.0 ? 0.0 : 100.0 * (positive / total);
    }

    public double value() { return value; }

    @Override public int width() { return 1; }

    @Override public void update(final double high, final double low, final double close, final double volume,
                                 final double[] out, final int offset) {
        update(high, low, close, volume);
        out[offset] = value;
    }

    @Override public void copyFrom(final BarIndicator other) {
        final Mfi o = (Mfi) other;
        System.arraycopy(o.ring, 0, ring, 0, ring.length);
        pos = o.pos;
        count = o.count;
        prevTypical = o.prevTypical;
        positive = o.positive;
        negative = o.negative;
        value = o.value;
    }

    @Override public int stateSize() { return States.ringBytes(2 * period) + 2 * Integer.BYTES + 4 * Double.BYTES; }

    @Override public void writeState(final ByteBuffer buffer) {
        States.putRing(buffer, ring);
        buffer.putInt(pos).putInt(count).putDouble(prevTypical).putDouble(positive).putDouble(negative)
                .putDouble(value);
    }

    @Override public void readState(final ByteBuffer buffer) {
        States.getRing(buffer, ring);
        pos = States.getIndex(buffer, "pos", period - 1);
        count = States.getIndex(buffer, "count", period + 1);
        prevTypical = buffer.getDouble();
        positive = buffer.getDouble();
        negative = buffer.getDouble();
        value = buffer.getDouble();
    }
}
