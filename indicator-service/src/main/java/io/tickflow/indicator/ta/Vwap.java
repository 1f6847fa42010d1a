package io.tickflow.indicator.ta;

import java.nio.ByteBuffer;

/**
 * Volume-weighted average price over the last {@code period} ticks: {@code sum(price * volume) / sum(volume)}.
 * TA-Lib has no VWAP; this one is defined here:
 * <ul>
 *   <li>not ready (NaN) until {@code period} ticks have been seen, like an SMA of the same period;</li>
 *   <li>NaN (absent) while every tick in the window has volume 0 — there is no traded price to weight. The window's
 *       non-zero-volume ticks are counted, and when that count reaches 0 both running sums are reset to exactly 0.0,
 *       which also clears any rounding left by adding and removing the window's products;</li>
 *   <li>the sums are kept by adding the new tick and subtracting the one leaving (O(1)), so the value can differ from
 *       a fresh summation of the window in the last bits; after a huge term has left the window the sums are added
 *       afresh ({@link WindowSums}).</li>
 * </ul>
 * O(1) per update, allocation-free (one ring of price*volume and volume pairs). Confined to one thread.
 */
public final class Vwap implements Indicator {
    private final int period;
    private final double[] ring; // [2*i] = price*volume, [2*i+1] = volume
    private int pos;
    private int count;
    private int tradedTicks;
    private double sumPriceVolume;
    private double sumVolume;
    private double peakPriceVolume; // the largest terms in the sums since they were seeded (WindowSums)
    private double peakVolume;
    private double value = Double.NaN;

    public Vwap(final int period) {
        if (period < 1) throw new IllegalArgumentException("VWAP period must be >= 1, was " + period);
        this.period = period;
        this.ring = new double[2 * period];
    }

    public void update(final double price, final double volume) {
        final int slot = 2 * pos;
        if (count == period) { // the window is full: the tick in this slot leaves it
            final double leavingVolume = ring[slot + 1];
            sumPriceVolume -= ring[slot];
            sumVolume -= leavingVolume;
            if (leavingVolume != 0.0) tradedTicks--;
        } else {
            count++;
        }
        final double priceVolume = price * volume;
        ring[slot] = priceVolume;
        ring[slot + 1] = volume;
        if (++pos == period) pos = 0;
        sumPriceVolume += priceVolume;
        sumVolume += volume;
        if (volume != 0.0) tradedTicks++;
        peakPriceVolume = Math.max(peakPriceVolume, Math.abs(priceVolume));
        peakVolume = Math.max(peakVolume, Math.abs(volume));
        if (tradedTicks == 0) {
            sumPriceVolume = 0.0;
            sumVolume = 0.0;
        } else if (WindowSums.lostPrecision(peakPriceVolume, sumPriceVolume)
                || WindowSums.lostPrecision(peakVolume, sumVolume)) {
            reseed();
        }
        value = count < period || tradedTicks == 0 ? Double.NaN : sumPriceVolume / sumVolume;
    }

    /** The window's sums added afresh, oldest first, as a VWAP started on the window's first tick holds them. */
    private void reseed() {
        sumPriceVolume = 0.0;
        sumVolume = 0.0;
        peakPriceVolume = 0.0;
        peakVolume = 0.0;
        for (int i = 0, slot = count == period ? 2 * pos : 0; i < count; i++, slot = (slot + 2) % ring.length) {
            sumPriceVolume += ring[slot];
            sumVolume += ring[slot + 1];
            peakPriceVolume = Math.max(peakPriceVolume, Math.abs(ring[slot]));
            peakVolume = Math.max(peakVolume, Math.abs(ring[slot + 1]));
        }
    }

    public double value() { return value; }

    @Override public int width() { return 1; }

    @Override public void update(final double price, final double volume, final double[] out, final int offset) {
        update(price, volume);
        out[offset] = value;
    }

    @Override public void copyFrom(final Indicator other) {
        final Vwap o = (Vwap) other;
        System.arraycopy(o.ring, 0, ring, 0, ring.length);
        pos = o.pos;
        count = o.count;
        tradedTicks = o.tradedTicks;
        sumPriceVolume = o.sumPriceVolume;
        sumVolume = o.sumVolume;
        peakPriceVolume = o.peakPriceVolume;
        peakVolume = o.peakVolume;
        value = o.value;
    }

    @Override public int stateSize() { return States.ringBytes(2 * period) + 3 * Integer.BYTES + 3 * Double.BYTES; }

    @Override public void writeState(final ByteBuffer buffer) {
        States.putRing(buffer, ring);
        buffer.putInt(pos).putInt(count).putInt(tradedTicks)
                .putDouble(sumPriceVolume).putDouble(sumVolume).putDouble(value);
    }

    @Override public void readState(final ByteBuffer buffer) {
        States.getRing(buffer, ring);
        pos = States.getIndex(buffer, "pos", period - 1);
        count = States.getIndex(buffer, "count", period);
        tradedTicks = States.getIndex(buffer, "tradedTicks", count);
        sumPriceVolume = buffer.getDouble();
        sumVolume = buffer.getDouble();
        value = buffer.getDouble();
        for (int slot = 0; slot < ring.length; slot += 2) {
            peakPriceVolume = Math.max(peakPriceVolume, Math.abs(ring[slot]));
            peakVolume = Math.max(peakVolume, Math.abs(ring[slot + 1]));
        }
    }
}
