package io.tickflow.indicator.ta;

import java.nio.ByteBuffer;

/**
 * MACD as TA-Lib computes it: both EMAs start at tick {@code slow - 1} (the fast one seeded with the SMA of the
 * {@code fast} inputs ending there, not of the first {@code fast} inputs), line = fast - slow, signal = EMA of the
 * line seeded with its first {@code signal} values. Outputs macd, signal, hist from tick {@code (slow-1)+(signal-1)}.
 * O(1) per update, allocation-free. Confined to one thread.
 */
public final class Macd implements Indicator {
    private final int fastPeriod;
    private final int slowPeriod;
    private final Ema fast;
    private final Ema slow;
    private final Ema signal;
    private final int lookback;
    private int ticks; // index of the next tick, saturating at lookback
    private double macd = Double.NaN;
    private double signalValue = Double.NaN;
    private double hist = Double.NaN;

    public Macd(final int fastPeriod, final int slowPeriod, final int signalPeriod) {
        if (fastPeriod < 2) throw new IllegalArgumentException("MACD fast period must be >= 2, was " + fastPeriod);
        if (slowPeriod <= fastPeriod) {
            throw new IllegalArgumentException(
                    "MACD slow period must be > fast period " + fastPeriod + ", was " + slowPeriod);
        }
        if (signalPeriod < 2) {
            throw new IllegalArgumentException("MACD signal period must be >= 2, was " + signalPeriod);
        }
        this.fastPeriod = fastPeriod;
        this.slowPeriod = slowPeriod;
        this.fast = new Ema(fastPeriod);
        this.slow = new Ema(slowPeriod);
        this.signal = new Ema(signalPeriod);
        this.lookback = (slowPeriod - 1) + (signalPeriod - 1);
    }

    public void update(final double price) {
        final int tick = ticks;
        if (ticks < lookback) ticks++;
        slow.update(price);
        if (tick < slowPeriod - fastPeriod) return;
        fast.update(price);
        if (tick < slowPeriod - 1) return;
        final double line = fast.value() - slow.value();
        signal.update(line);
        if (tick < lookback) return; // signal still seeding
        final double sig = signal.value();
        macd = line;
        signalValue = sig;
        hist = line - sig;
    }

    /** Writes what {@link #update} of {@code price} would give, without changing the state. O(1). */
    public void peek(final double price, final double[] out, final int offset) {
        if (ticks < lookback) { // outputs start at tick lookback; this tick is before it
            out[offset] = macd;
            out[offset + 1] = signalValue;
            out[offset + 2] = hist;
            return;
        }
        final double slowValue = slow.peekValue(price);
        final double line = fast.peekValue(price) - slowValue;
        final double sig = signal.peekValue(line);
        out[offset] = line;
        out[offset + 1] = sig;
        out[offset + 2] = line - sig;
    }

    public double macd() { return macd; }

    public double signal() { return signalValue; }

    public double hist() { return hist; }

    @Override public int width() { return 3; }

    @Override public void update(final double price, final double volume, final double[] out, final int offset) {
        update(price);
        out[offset] = macd;
        out[offset + 1] = signalValue;
        out[offset + 2] = hist;
    }

    @Override public void copyFrom(final Indicator other) {
        final Macd o = (Macd) other;
        fast.copyFrom(o.fast);
        slow.copyFrom(o.slow);
        signal.copyFrom(o.signal);
        ticks = o.ticks;
        macd = o.macd;
        signalValue = o.signalValue;
        hist = o.hist;
    }

    @Override public int stateSize() { return Integer.BYTES + 3 * Ema.STATE_BYTES + 3 * Double.BYTES; }

    @Override public void writeState(final ByteBuffer buffer) {
        buffer.putInt(ticks);
        fast.writeState(buffer);
        slow.writeState(buffer);
        signal.writeState(buffer);
        buffer.putDouble(macd).putDouble(signalValue).putDouble(hist);
    }

    @Override public void readState(final ByteBuffer buffer) {
        ticks = States.getIndex(buffer, "ticks", lookback);
        fast.readState(buffer);
        slow.readState(buffer);
        signal.readState(buffer);
        macd = buffer.getDouble();
        signalValue = buffer.getDouble();
        hist = buffer.getDouble();
    }
}
