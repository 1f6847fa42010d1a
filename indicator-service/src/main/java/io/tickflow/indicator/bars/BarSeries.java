package io.tickflow.indicator.bars;

import io.tickflow.indicator.ta.BarEngine;
import io.tickflow.indicator.ta.EngineSpec;
import java.nio.ByteBuffer;

/**
 * The bars of one stock at one interval: the open bars (the forming one, plus older ones still inside their grace
 * time), the count of final bars ({@code seq}) and the {@link BarEngine} their indicators come from. Fed by a
 * {@link BarCloser}; a tick costs O(1) and allocates nothing in steady state (the few bar holders are made on first
 * use and reused; a {@code 1d} bucket is computed with java.time once per new bar).
 *
 * <p>A bar {@code [start, end)} is final once stream time ≥ {@code end + grace}; at most
 * {@code grace / length + 2} bars can be open at a time. Confined to one thread (the one feeding its closer).
 */
public final class BarSeries {
    private static final long NONE = Long.MIN_VALUE;
    private final String stockId;
    private final StockBars owner;
    private final BarInterval interval;
    private final int index;
    private final long grace;
    private final long updateInterval;
    private final BarEngine engine;
    private final Bar[] open; // open[0 .. count) sorted by start; spare holders behind them
    private int count;
    private long seq;
    private long lastUpdate = Long.MIN_VALUE; // stream time of the last forming update, MIN_VALUE = none yet
    private long changedStart = NONE; // start of the bar of the last tick since the last forming update
    int heapIndex = -1; // position in the closer's heap, -1 = not in it
    boolean queued; // in the closer's list of series with a forming update to send

    BarSeries(final StockBars owner, final BarSpec spec, final int index) {
        this.stockId = owner.stockId();
        this.owner = owner;
        this.interval = spec.intervals().get(index);
        this.index = index;
        this.grace = spec.graceMillis();
        this.updateInterval = spec.updateIntervalMillis();
        this.engine = spec.indicators().newBarEngine();
        this.open = new Bar[(int) (grace / interval.minLength()) + 2]; // holders made on first use, then reused
    }

    public String stockId() { return stockId; }

    public BarInterval interval() { return interval; }

    /** Position of {@link #interval()} in BARS (bit {@code 1 << index} of a late mask). */
    public int index() { return index; }

    /** The indicator layout of {@link BarListener#onBar}'s {@code indicators}. */
    public EngineSpec indicators() { return engine.spec(); }

    /** Final bars so far. */
    public long seq() { return seq; }

    /** Bars started and not yet final. */
    public int openBars() { return count; }

    /** The newest open bar (the forming one), or null when none is open. Read on the series' thread. */
    public Bar forming() { return count == 0 ? null : open[count - 1]; }

    /** When the oldest open bar becomes final ({@code end + grace}); MAX_VALUE when none is open. */
    long deadline() {
        return count == 0 ? Long.MAX_VALUE : open[0].end + grace;
    }

    /** True when the bar of {@code timestamp} is already final at {@code streamTime} (whether or not it had ticks). */
    boolean isLate(final long timestamp, final long streamTime) {
        if (timestamp >= streamTime - grace) return false; // its bar ends after timestamp, so after streamTime - grace
        for (int i = 0; i < count; i++) if (open[i].contains(timestamp)) return false;
        return interval.endOf(interval.startOf(timestamp)) + grace <= streamTime;
    }

    /** Adds a tick that is not late; returns the open bar it went into. */
    Bar add(final long timestamp, final double price, final double volume) {
        for (int i = count - 1; i >= 0; i--) { // newest first: in-order ticks stop at once
            final Bar bar = open[i];
            if (bar.contains(timestamp)) {
                bar.add(price, volume);
                return bar;
            }
        }
        final long start = interval.startOf(timestamp);
        if (count == open.length) {
            throw new IllegalStateException(stockId + " " + interval + ": more than " + open.length + " open bars");
        }
        int at = count; // insert in start order (an out-of-order tick may open an older bar)
        while (at > 0 && open[at - 1].start > start) at--;
        Bar bar = open[count];
        if (bar == null) bar = new Bar();
        System.arraycopy(open, at, open, at + 1, count - at);
        open[at] = bar;
        count++;
        bar.begin(start, interval.endOf(start), price, volume);
        return bar;
    }

    /**
     * Makes final, in start order, every open bar whose {@code end + grace <= streamTime}, and counts
     * {@code streamTime} into the stock's {@link StockBars#maxTimestamp()}: the state that holds a bar as final also
     * holds a stream time at which it is final, so a restore can never reopen it (even when the time came from an
     * {@link BarCloser#advance} no tick carried, e.g. BAR_IDLE_CLOSE).
     */
    void closeDue(final long streamTime, final BarListener listener) {
        if (count > 0 && open[0].end + grace <= streamTime) owner.observe(streamTime);
        while (count > 0 && open[0].end + grace <= streamTime) {
            final Bar bar = open[0];
            engine.update(bar.high, bar.low, bar.close, bar.volume);
            seq++;
            listener.onBar(this, bar, true, seq, engine.values());
            if (bar.start == changedStart) changedStart = NONE; // its final record supersedes the forming one
            System.arraycopy(open, 1, open, 0, count - 1);
            open[--count] = bar;
        }
    }

    /** A tick went into {@code bar}: it has a forming update to send (the bar of the last such tick). */
    void changed(final Bar bar) {
        changedStart = bar.start;
    }

    /** Forgets the forming update still to send (the stock left its closer). */
    void discardChanges() {
        changedStart = NONE;
    }

    /**
     * Sends the forming update of the bar the last tick since the last update went into, with its current values,
     * unless one was sent less than BAR_UPDATE_INTERVAL of stream time ago (then the update is dropped, as a
     * throttled tick's always was: the next tick sends); its indicators are peeked as if every open bar up to it
     * closed now.
     */
    void sendForming(final long streamTime, final BarListener listener) {
        if (changedStart == NONE) return;
        final long start = changedStart;
        changedStart = NONE;
        if (lastUpdate != Long.MIN_VALUE && streamTime - lastUpdate < updateInterval) return;
        int i = 0;
        while (open[i].start != start) i++; // open: a bar that closed cleared changedStart
        final Bar bar = open[i];
        lastUpdate = streamTime;
        if (i == 0) { // the usual case: no older bar still in its grace time
            listener.onBar(this, bar, false, seq + 1, engine.peek(bar.high, bar.low, bar.close, bar.volume));
            return;
        }
        engine.peekBegin();
        for (int k = 0; k <= i; k++) engine.peekAdd(open[k].high, open[k].low, open[k].close, open[k].volume);
        listener.onBar(this, bar, false, seq + i + 1, engine.peekValues());
    }

    /** Ties in the closer's heap break by interval, then stock: one total order, whatever the heap's history. */
    int compareTo(final BarSeries other) {
        final int byDeadline = Long.compare(deadline(), other.deadline());
        if (byDeadline != 0) return byDeadline;
        final int byInterval = Integer.compare(index, other.index);
        return byInterval != 0 ? byInterval : stockId.compareTo(other.stockId);
    }

    static final int BAR_BYTES = 3 * Long.BYTES + 6 * Double.BYTES;

    /** Bytes {@link #writeBuilder} writes: it changes with every tick. */
    int builderSize() {
        return 2 * Long.BYTES + Integer.BYTES + count * BAR_BYTES;
    }

    /** Bytes {@link #writeEngine} writes: it changes only when a bar becomes final. */
    int engineSize() {
        return engine.stateSize();
    }

    /** The bar builder's state: the final-bar count, the last forming update's time and the open bars. */
    void writeBuilder(final ByteBuffer buffer) {
        buffer.putLong(seq).putLong(lastUpdate).putInt(count);
        for (int i = 0; i < count; i++) {
            final Bar bar = open[i];
            buffer.putLong(bar.start).putLong(bar.end).putDouble(bar.open).putDouble(bar.high).putDouble(bar.low)
                    .putDouble(bar.close).putDouble(bar.volume).putDouble(bar.priceVolume).putLong(bar.trades);
        }
    }

    void writeEngine(final ByteBuffer buffer) {
        engine.writeState(buffer);
    }

    void readBuilder(final ByteBuffer buffer) {
        final long s = buffer.getLong();
        if (s < 0) throw new IllegalArgumentException("snapshot field seq must be >= 0, was " + s);
        final long update = buffer.getLong();
        final int n = buffer.getInt();
        if (n < 0 || n > open.length) {
            throw new IllegalArgumentException("snapshot field openBars must be in 0.." + open.length + ", was " + n);
        }
        seq = s;
        lastUpdate = update;
        count = n;
        for (int i = 0; i < n; i++) {
            if (open[i] == null) open[i] = new Bar();
            final Bar bar = open[i];
            bar.start = buffer.getLong();
            bar.end = buffer.getLong();
            bar.open = buffer.getDouble();
            bar.high = buffer.getDouble();
            bar.low = buffer.getDouble();
            bar.close = buffer.getDouble();
            bar.volume = buffer.getDouble();
            bar.priceVolume = buffer.getDouble();
            bar.trades = buffer.getLong();
            if (bar.end <= bar.start || bar.trades < 1 || (i > 0 && bar.start < open[i - 1].end)) {
                throw new IllegalArgumentException("snapshot holds a bad open bar [" + bar.start + ", " + bar.end
                        + ") with " + bar.trades + " trades");
            }
        }
    }

    void readEngine(final ByteBuffer buffer) {
        engine.readState(buffer);
    }

    /**
     * The builder and the engine come from the same commit: the engine has taken exactly the final bars the builder
     * counts (they are written as two records, the engine's only when a bar became final).
     */
    void checkEngineMatchesBuilder() {
        if (engine.updates() != seq) {
            throw new IllegalArgumentException("the " + interval.name() + " bar engine holds " + engine.updates()
                    + " final bars, its builder " + seq + ": the two state records are not from one commit");
        }
    }
}
