package io.tickflow.indicator.ta;

import java.nio.ByteBuffer;

/**
 * The highest high and lowest low of the last {@code period} bars, as TA-Lib's STOCH and WILLR track them: an extreme
 * is kept with its age and the window is rescanned only when it leaves (amortised O(1), O(period) on such a bar, like
 * TA-Lib). One ring of {@code 2 * period} doubles made in the constructor; allocation-free. Confined to one thread.
 */
final class RangeWindow {
    private final int period;
    private final double[] ring; // [2*i] = high, [2*i+1] = low
    private int pos;
    private int count;
    private int highestAge;
    private int lowestAge;
    private double highest = Double.NaN;
    private double lowest = Double.NaN;

    RangeWindow(final int period) {
        this.period = period;
        this.ring = new double[2 * period];
    }

    /** Adds a bar; true once the window holds {@code period} bars ({@link #highest}/{@link #lowest} valid). */
    boolean update(final double high, final double low) {
        ring[2 * pos] = high;
        ring[2 * pos + 1] = low;
        if (++pos == period) pos = 0;
        if (count < period) {
            if (++count < period) return false;
            rescanHigh();
            rescanLow();
            return true;
        }
        if (++highestAge >= period) rescanHigh();
        else if (high >= highest) { highest = high; highestAge = 0; }
        if (++lowestAge >= period) rescanLow();
        else if (low <= lowest) { lowest = low; lowestAge = 0; }
        return true;
    }

    /** True when {@link #update} of one more bar would make the window full. */
    boolean fullAfterOneMore() {
        return count >= period - 1;
    }

    /**
     * The highest high {@link #update} of {@code high} would give, without changing the state; call when
     * {@link #fullAfterOneMore()}. O(1) unless the current extreme would leave (then O(period), as update).
     */
    double peekHighest(final double high) {
        if (count == period && highestAge + 1 < period) return high >= highest ? high : highest;
        double h = high;
        for (int k = 0; k < period; k++) { // filling: slots 0..count-1; full: all but pos, the bar it would replace
            if (count == period ? k == pos : k >= count) continue;
            if (ring[2 * k] > h) h = ring[2 * k];
        }
        return h;
    }

    /** The lowest low {@link #update} of {@code low} would give, without changing the state; as {@link #peekHighest}. */
    double peekLowest(final double low) {
        if (count == period && lowestAge + 1 < period) return low <= lowest ? low : lowest;
        double l = low;
        for (int k = 0; k < period; k++) {
            if (count == period ? k == pos : k >= count) continue;
            if (ring[2 * k + 1] < l) l = ring[2 * k + 1];
        }
        return l;
    }

    /** Oldest to newest; the newest extreme wins a tie, so it stays longest. */
    private void rescanHigh() {
        double h = ring[2 * pos];
        int age = period - 1;
        for (int k = 1; k < period; k++) {
            int slot = pos + k;
            if (slot >= period) slot -= period;
            final double v = ring[2 * slot];
            if (v >= h) { h = v; age = period - 1 - k; }
        }
        highest = h;
        highestAge = age;
    }

    private void rescanLow() {
        double l = ring[2 * pos + 1];
        int age = period - 1;
        for (int k = 1; k < period; k++) {
            int slot = pos + k;
            if (slot >= period) slot -= period;
            final double v = ring[2 * slot + 1];
            if (v <= l) { l = v; age = period - 1 - k; }
        }
        lowest = l;
        lowestAge = age;
    }

    double highest() { return highest; }

    double lowest() { return lowest; }

    /** Makes this window equal to {@code o} (same period). Allocation-free. */
    void copyFrom(final RangeWindow o) {
        System.arraycopy(o.ring, 0, ring, 0, ring.length);
        pos = o.pos;
        count = o.count;
        highestAge = o.highestAge;
        lowestAge = o.lowestAge;
        highest = o.highest;
        lowest = o.lowest;
    }

    int stateSize() { return States.ringBytes(2 * period) + 4 * Integer.BYTES + 2 * Double.BYTES; }

    void writeState(final ByteBuffer buffer) {
        States.putRing(buffer, ring);
        buffer.putInt(pos).putInt(count).putInt(highestAge).putInt(lowestAge).putDouble(highest).putDouble(lowest);
    }

    void readState(final ByteBuffer buffer) {
        States.getRing(buffer, ring);
        pos = States.getIndex(buffer, "pos", period - 1);
        count = States.getIndex(buffer, "count", period);
        highestAge = States.getIndex(buffer, "highestAge", period - 1);
        lowestAge = States.getIndex(buffer, "lowestAge", period - 1);
        highest = buffer.getDouble();
        lowest = buffer.getDouble();
    }
}
