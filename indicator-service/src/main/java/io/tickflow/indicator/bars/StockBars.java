package io.tickflow.indicator.bars;

import io.tickflow.indicator.ta.SnapshotFormat;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * All bars of one stock: one {@link BarSeries} per BARS interval, and the largest tick timestamp the stock has seen
 * or stream time that closed one of its bars (its share of the partition's stream time, so a closer rebuilt from
 * restored stocks resumes the same stream time).
 * Fed through a {@link BarCloser}. Confined to one thread.
 *
 * <p>{@link #snapshot()} is plain data, versioned and CRC'd like the {@code ta} engine's (the changelog record's bar
 * part); {@link #restore} resumes it bit-identically in a fresh instance of the same {@link BarSpec}:
 * <pre>
 * int    magic 0x54464253 ("TFBS")     byte version (1)
 * int    n, n bytes UTF-8              BarSpec.canonical(), e.g. "1m,5m|grace=2000|update=250|sma:20,…"
 * long   maxTimestamp                  Long.MIN_VALUE before the first tick
 * per interval, in BARS order:
 *   long seq                           final bars so far
 *   long lastUpdate                    stream time of the last forming update, Long.MIN_VALUE = none
 *   int  openBars, then per open bar (oldest first):
 *        long start, long end, double open, high, low, close, volume, sum(price*volume), long trades
 *   BarEngine state                    long bars, each indicator's state, the committed values (fixed size)
 * int    CRC32 of everything before it
 * </pre>
 */
public final class StockBars {
    private static final SnapshotFormat FORMAT = new SnapshotFormat(0x54464253 /* "TFBS" */, (byte) 1, "a bar",
            "BARS");

    private final String stockId;
    private final BarSpec spec;
    private final BarSeries[] series;
    private long maxTimestamp = Long.MIN_VALUE;

    StockBars(final String stockId, final BarSpec spec) {
        this.stockId = stockId;
        this.spec = spec;
        this.series = new BarSeries[spec.intervals().size()];
        for (int i = 0; i < series.length; i++) series[i] = new BarSeries(this, spec, i);
    }

    public String stockId() { return stockId; }

    public BarSpec spec() { return spec; }

    /** The series of BARS interval {@code index} (0-based, BARS order). */
    public BarSeries series(final int index) { return series[index]; }

    /** Number of intervals (series). */
    public int size() { return series.length; }

    /**
     * The largest tick timestamp seen (late ticks included) or stream time that made one of its bars final;
     * Long.MIN_VALUE before the first.
     */
    public long maxTimestamp() { return maxTimestamp; }

    BarSeries[] all() { return series; }

    /**
     * Counts a timestamp into {@link #maxTimestamp()} without adding a tick (the closer does it for every tick; the
     * wiring for a tick that moved stream time but was refused before the bars, so a restore rebuilds that time).
     */
    public void observe(final long timestamp) {
        if (timestamp > maxTimestamp) maxTimestamp = timestamp;
    }

    /** Compact, versioned, CRC'd byte form of the full state (see the class comment). Allocates; once per commit. */
    public byte[] snapshot() {
        final ByteBuffer buffer = FORMAT.begin(spec.canonical(), stateSize());
        buffer.putLong(maxTimestamp);
        for (final BarSeries s : series) s.writeState(buffer);
        return FORMAT.seal(buffer);
    }

    private int stateSize() {
        int size = Long.BYTES;
        for (final BarSeries s : series) size += s.stateSize();
        return size;
    }

    /**
     * Replaces this (fresh) instance's state with a snapshot's; then hand it to {@link BarCloser#track}.
     * IllegalArgumentException when the bytes are not a bar snapshot of this version and {@link BarSpec} or fail
     * their checksum; those checks run before any state is touched. (A value out of range behind a valid checksum
     * can only come from a writer bug; it also throws, and the instance must be dropped.)
     */
    public void restore(final byte[] snapshot) {
        final ByteBuffer buffer = FORMAT.openVariable(snapshot, spec.canonical());
        if (buffer.remaining() < Long.BYTES + Integer.BYTES) {
            throw new IllegalArgumentException("bar snapshot is truncated (" + snapshot.length + " bytes)");
        }
        try {
            maxTimestamp = buffer.getLong();
            for (final BarSeries s : series) s.readState(buffer);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("bar snapshot is shorter than its contents", e);
        }
        if (buffer.remaining() != Integer.BYTES) {
            throw new IllegalArgumentException("bar snapshot has " + (buffer.remaining() - Integer.BYTES)
                    + " bytes after its contents");
        }
    }
}
