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
 * <p>Its state is two snapshots, plain data, versioned and CRC'd like the {@code ta} engine's: {@link #snapshot()}, the
 * bar builders, which change with every tick (the changelog's stock record carries it), and {@link #enginesSnapshot()},
 * the bar indicators' windows, which change only when a bar becomes final (a record of its own, written only then: it
 * was ~90 % of the bytes a stock wrote per commit). {@link #restore} resumes both bit-identically in a fresh instance of
 * the same {@link BarSpec}:
 * <pre>
 * builders: int magic 0x54464253 ("TFBS"), byte version (2), int n, n bytes UTF-8 BarSpec.canonical(),
 *           long maxTimestamp (Long.MIN_VALUE before the first tick),
 *           per interval in BARS order: long seq (final bars so far), long lastUpdate (stream time of the last
 *           forming update, Long.MIN_VALUE = none), int openBars, then per open bar (oldest first):
 *           long start, long end, double open, high, low, close, volume, sum(price*volume), long trades;
 *           int CRC32 of everything before it
 * engines:  int magic 0x5446424E ("TFBN"), byte version (1), int n, n bytes BarSpec.canonical(),
 *           per interval in BARS order: BarEngine state (long bars, each indicator's state, the committed values);
 *           int CRC32
 * </pre>
 * Version 1 of the builders' snapshot holds each interval's engine state right after its open bars: written before
 * the split, and still by {@link #snapshotWithEngines()} for at_least_once, whose two records would not commit
 * together. A snapshot taken under another forming-update throttle restores ({@link BarSpec#readsStateOf}).
 */
public final class StockBars {
    private static final int BUILDERS_MAGIC = 0x54464253; // "TFBS"
    private static final SnapshotFormat BUILDERS = new SnapshotFormat(BUILDERS_MAGIC, (byte) 2, "a bar", "BARS");
    private static final SnapshotFormat BUILDERS_WITH_ENGINES = new SnapshotFormat(BUILDERS_MAGIC, (byte) 1, "a bar",
            "BARS");
    private static final SnapshotFormat ENGINES = new SnapshotFormat(0x5446424E /* "TFBN" */, (byte) 1,
            "a bar engines", "BARS");

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

    /** The bar builders' snapshot (see the class comment): changes with every tick. Allocates; once per commit. */
    public byte[] snapshot() {
        int size = Long.BYTES;
        for (final BarSeries s : series) size += s.builderSize();
        final ByteBuffer buffer = BUILDERS.begin(spec.canonical(), size);
        buffer.putLong(maxTimestamp);
        for (final BarSeries s : series) s.writeBuilder(buffer);
        return BUILDERS.seal(buffer);
    }

    /**
     * Builders and engines in one snapshot (version 1 of the builders' snapshot): for a state record that is not
     * written atomically with a second one (at_least_once). Allocates; once per commit.
     */
    public byte[] snapshotWithEngines() {
        int size = Long.BYTES;
        for (final BarSeries s : series) size += s.builderSize() + s.engineSize();
        final ByteBuffer buffer = BUILDERS_WITH_ENGINES.begin(spec.canonical(), size);
        buffer.putLong(maxTimestamp);
        for (final BarSeries s : series) {
            s.writeBuilder(buffer);
            s.writeEngine(buffer);
        }
        return BUILDERS_WITH_ENGINES.seal(buffer);
    }

    /** The bar engines' snapshot (see the class comment): changes only when a bar becomes final. Allocates. */
    public byte[] enginesSnapshot() {
        int size = 0;
        for (final BarSeries s : series) size += s.engineSize();
        final ByteBuffer buffer = ENGINES.begin(spec.canonical(), size);
        for (final BarSeries s : series) s.writeEngine(buffer);
        return ENGINES.seal(buffer);
    }

    /**
     * Replaces this (fresh) instance's state with the two snapshots of one commit ({@code engines} empty: no bar was
     * final yet when it was written, or {@code builders} is a version 1 snapshot that holds the engines); then hand
     * it to {@link BarCloser#track}. IllegalArgumentException when the bytes are not snapshots of these versions and
     * this {@link BarSpec}, fail their checksum, or are not of one commit (an engine holds another count of final
     * bars than its builder); the envelope checks run before any state is touched, and after any other failure the
     * instance must be dropped.
     */
    public void restore(final byte[] builders, final byte[] engines) {
        final boolean withEngines = holdsEngines(builders);
        final ByteBuffer buffer = (withEngines ? BUILDERS_WITH_ENGINES : BUILDERS)
                .openVariable(builders, acceptedSpec(builders));
        final ByteBuffer engineBuffer = withEngines || engines.length == 0 ? null
                : ENGINES.openVariable(engines, acceptedSpec(engines));
        if (buffer.remaining() < Long.BYTES + Integer.BYTES) {
            throw new IllegalArgumentException("bar snapshot is truncated (" + builders.length + " bytes)");
        }
        try {
            maxTimestamp = buffer.getLong();
            for (final BarSeries s : series) {
                s.readBuilder(buffer);
                if (withEngines) s.readEngine(buffer);
            }
            if (engineBuffer != null) {
                for (final BarSeries s : series) s.readEngine(engineBuffer);
                requireOnlyCrc(engineBuffer, "bar engines");
            }
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("bar snapshot is shorter than its contents", e);
        }
        requireOnlyCrc(buffer, "bar");
        for (final BarSeries s : series) s.checkEngineMatchesBuilder();
    }

    /** Whether a builders' snapshot is of version 1, which holds the engines too. */
    public static boolean holdsEngines(final byte[] builders) {
        return builders.length > Integer.BYTES && builders[Integer.BYTES] == 1;
    }

    /** The spec a snapshot must name: the one it names when this spec {@link BarSpec#readsStateOf reads} its state. */
    private String acceptedSpec(final byte[] snapshot) {
        final String taken = SnapshotFormat.specOf(snapshot);
        return taken != null && spec.readsStateOf(taken) ? taken : spec.canonical();
    }

    private static void requireOnlyCrc(final ByteBuffer buffer, final String what) {
        if (buffer.remaining() != Integer.BYTES) {
            throw new IllegalArgumentException(what + " snapshot has " + (buffer.remaining() - Integer.BYTES)
                    + " bytes after its contents");
        }
    }
}
