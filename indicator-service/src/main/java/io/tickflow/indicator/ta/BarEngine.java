package io.tickflow.indicator.ta;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The BAR_INDICATORS of one stock and interval, fed final bars (high, low, close, volume) in bar order: each value
 * equals TA-Lib run once over the stock's final bars from its first. Confined to one thread (one instance per stock
 * and interval, touched by one worker at a time; no locks, no volatile).
 *
 * <p>Two ways in, TA-Lib streaming style:
 * <ul>
 *   <li>{@link #update} commits a final bar: O(1) per indicator where TA-Lib's algorithm is incremental (CCI's mean
 *       deviation is O(period), STOCH's and WILLR's extremes amortised O(1)), allocation-free, into the reusable
 *       {@link #values()};</li>
 *   <li>{@link #peek} gives the values "as if this forming bar closed now" in {@link #peekValues()} without touching
 *       the committed state: the default kinds compute it in O(1) from their state with update's exact operations
 *       (TA-Lib streaming style), any other indicator is copied into a second instance made in the constructor
 *       (fields, rings by {@code System.arraycopy}) and updated there. Either way a peek is what {@link #update} of
 *       the same bar would give, bit for bit, and any number of peeks leave the next update unaffected.
 *       {@link #peekBegin} + {@link #peekAdd} peek several forming bars in a row (an older bar still in its grace
 *       time, then the newest one) by the copy, for every indicator: O(state), and needed only around a bar's end.</li>
 * </ul>
 *
 * <p>{@link #snapshot()} writes the full committed state — magic, format version, the spec's canonical string, the
 * bar count, each indicator's state, the current values and a CRC32 — and {@link #restore} resumes it bit-identically
 * in a fresh engine of the same spec, as {@link StockEngine} does; {@link #writeState}/{@link #readState} are the same
 * state without the envelope, for a container that has its own (the bar builder's snapshot).
 */
public final class BarEngine {
    private static final SnapshotFormat FORMAT =
            new SnapshotFormat(0x54464245 /* "TFBE" */, (byte) 1, "a bar engine", "BAR_INDICATORS");

    private final EngineSpec spec;
    private final BarIndicator[] indicators;
    private final BarIndicator[] scratch;
    private final Indicator[] closeOnly; // the OnClose-wrapped indicator of slot i, else null
    private final Indicator[] scratchCloseOnly;
    private final byte[] kinds;
    private final int[] offsets;
    private final double[] values;
    private final double[] peekValues;
    private final int stateSize;
    private long updates;

    BarEngine(final EngineSpec spec) {
        this.spec = spec;
        this.indicators = spec.newBarIndicators();
        this.scratch = spec.newBarIndicators();
        this.closeOnly = new Indicator[indicators.length];
        this.scratchCloseOnly = new Indicator[indicators.length];
        this.kinds = new byte[indicators.length];
        for (int i = 0; i < indicators.length; i++) {
            if (indicators[i] instanceof OnClose wrapped) {
                closeOnly[i] = wrapped.indicator();
                scratchCloseOnly[i] = ((OnClose) scratch[i]).indicator();
            }
            kinds[i] = kindOf(indicators[i], closeOnly[i]);
        }
        this.offsets = new int[indicators.length];
        int size = 0;
        for (int i = 0, offset = 0; i < indicators.length; offset += indicators[i].width(), i++) {
            offsets[i] = offset;
            size += indicators[i].stateSize();
        }
        this.values = new double[spec.width()];
        this.peekValues = new double[spec.width()];
        Arrays.fill(values, Double.NaN);
        Arrays.fill(peekValues, Double.NaN);
        this.stateSize = Long.BYTES + size + values.length * Double.BYTES;
    }

    private static final byte OTHER = 0;
    private static final byte SMA = 1;
    private static final byte EMA = 2;
    private static final byte RSI = 3;
    private static final byte MACD = 4;
    private static final byte BBANDS = 5;
    private static final byte ATR = 6;
    private static final byte STOCH = 7;

    private static byte kindOf(final BarIndicator indicator, final Indicator closeOnly) {
        if (closeOnly instanceof Sma) return SMA;
        if (closeOnly instanceof Ema) return EMA;
        if (closeOnly instanceof Rsi) return RSI;
        if (closeOnly instanceof Macd) return MACD;
        if (closeOnly instanceof BollingerBands) return BBANDS;
        if (indicator instanceof Atr) return ATR;
        if (indicator instanceof Stoch) return STOCH;
        return OTHER;
    }

    /** Commits one final bar. */
    public void update(final double high, final double low, final double close, final double volume) {
        apply(indicators, closeOnly, values, high, low, close, volume);
        updates++;
    }

    /**
     * One bar into every indicator. A cast per kind (the default BAR_INDICATORS) makes each call site monomorphic, so
     * the JIT inlines it instead of dispatching through the interfaces, as in {@link StockEngine#update}.
     */
    private void apply(final BarIndicator[] indicators, final Indicator[] closeOnly, final double[] out,
                       final double high, final double low, final double close, final double volume) {
        final byte[] kinds = this.kinds;
        final int[] offsets = this.offsets;
        for (int i = 0; i < indicators.length; i++) {
            final int offset = offsets[i];
            switch (kinds[i]) {
                case SMA -> ((Sma) closeOnly[i]).update(close, volume, out, offset);
                case EMA -> ((Ema) closeOnly[i]).update(close, volume, out, offset);
                case RSI -> ((Rsi) closeOnly[i]).update(close, volume, out, offset);
                case MACD -> ((Macd) closeOnly[i]).update(close, volume, out, offset);
                case BBANDS -> ((BollingerBands) closeOnly[i]).update(close, volume, out, offset);
                case ATR -> ((Atr) indicators[i]).update(high, low, close, volume, out, offset);
                case STOCH -> ((Stoch) indicators[i]).update(high, low, close, volume, out, offset);
                default -> indicators[i].update(high, low, close, volume, out, offset);
            }
        }
    }

    /**
     * The values as if a bar with these fields were committed now, in {@link #peekValues()} (returned); the
     * committed state is unchanged. The default kinds (SMA, EMA, RSI, MACD, BBANDS, ATR, STOCH) peek in O(1) from
     * their state with update's exact operations; any other indicator is copied into its scratch twin and updated
     * there. Same values as {@link #peekBegin()} then {@link #peekAdd} (BarEngineTest checks both against update).
     */
    public double[] peek(final double high, final double low, final double close, final double volume) {
        final BarIndicator[] indicators = this.indicators;
        final BarIndicator[] scratch = this.scratch;
        final Indicator[] closeOnly = this.closeOnly;
        final byte[] kinds = this.kinds;
        final int[] offsets = this.offsets;
        final double[] out = peekValues;
        for (int i = 0; i < indicators.length; i++) {
            final int offset = offsets[i];
            switch (kinds[i]) { // O(1) peeks of the default kinds; the others are copied into scratch and updated
                case SMA -> ((Sma) closeOnly[i]).peek(close, out, offset);
                case EMA -> ((Ema) closeOnly[i]).peek(close, out, offset);
                case RSI -> ((Rsi) closeOnly[i]).peek(close, out, offset);
                case MACD -> ((Macd) closeOnly[i]).peek(close, out, offset);
                case BBANDS -> ((BollingerBands) closeOnly[i]).peek(close, out, offset);
                case ATR -> out[offset] = ((Atr) indicators[i]).peekValue(high, low, close);
                case STOCH -> ((Stoch) indicators[i]).peek(high, low, close, out, offset);
                default -> {
                    scratch[i].copyFrom(indicators[i]);
                    scratch[i].update(high, low, close, volume, out, offset);
                }
            }
        }
        return out;
    }

    /** Starts a peek from the committed state: {@link #peekValues()} = {@link #values()}. */
    public void peekBegin() {
        final BarIndicator[] indicators = this.indicators;
        final BarIndicator[] scratch = this.scratch;
        final Indicator[] closeOnly = this.closeOnly;
        final Indicator[] scratchCloseOnly = this.scratchCloseOnly;
        final byte[] kinds = this.kinds;
        for (int i = 0; i < scratch.length; i++) {
            switch (kinds[i]) {
                case SMA -> ((Sma) scratchCloseOnly[i]).copyFrom(closeOnly[i]);
                case EMA -> ((Ema) scratchCloseOnly[i]).copyFrom(closeOnly[i]);
                case RSI -> ((Rsi) scratchCloseOnly[i]).copyFrom(closeOnly[i]);
                case MACD -> ((Macd) scratchCloseOnly[i]).copyFrom(closeOnly[i]);
                case BBANDS -> ((BollingerBands) scratchCloseOnly[i]).copyFrom(closeOnly[i]);
                case ATR -> ((Atr) scratch[i]).copyFrom(indicators[i]);
                case STOCH -> ((Stoch) scratch[i]).copyFrom(indicators[i]);
                default -> scratch[i].copyFrom(indicators[i]);
            }
        }
        System.arraycopy(values, 0, peekValues, 0, values.length);
    }

    /** Applies one more (forming) bar to the peek started by {@link #peekBegin}; returns {@link #peekValues()}. */
    public double[] peekAdd(final double high, final double low, final double close, final double volume) {
        apply(scratch, scratchCloseOnly, peekValues, high, low, close, volume);
        return peekValues;
    }

    /** The committed values: the same reusable array every time, laid out as {@link EngineSpec#outputs()}; NaN = absent. */
    public double[] values() {
        return values;
    }

    /** The last peek's values (a second reusable array); NaN = absent. */
    public double[] peekValues() {
        return peekValues;
    }

    /** Final bars committed since the first (restored with the state). */
    public long updates() {
        return updates;
    }

    public EngineSpec spec() {
        return spec;
    }

    /** Bytes {@link #writeState} writes. */
    public int stateSize() {
        return stateSize;
    }

    /** The committed state as plain data: the bar count, each indicator's state, the values. */
    public void writeState(final ByteBuffer buffer) {
        buffer.putLong(updates);
        for (final BarIndicator indicator : indicators) indicator.writeState(buffer);
        for (final double v : values) buffer.putDouble(v);
    }

    /** Reads what {@link #writeState} wrote (the caller checked the envelope); IllegalArgumentException when out of range. */
    public void readState(final ByteBuffer buffer) {
        final long count = buffer.getLong();
        if (count < 0) throw new IllegalArgumentException("snapshot bar count must be >= 0, was " + count);
        updates = count;
        for (final BarIndicator indicator : indicators) indicator.readState(buffer);
        for (int i = 0; i < values.length; i++) values[i] = buffer.getDouble();
    }

    /** Compact, versioned, CRC'd byte form of the committed state. Allocates; not for the per-bar path. */
    public byte[] snapshot() {
        final ByteBuffer buffer = FORMAT.begin(spec.canonical(), stateSize);
        writeState(buffer);
        return FORMAT.seal(buffer);
    }

    /**
     * Replaces the committed state with a snapshot's. IllegalArgumentException when the bytes are not a snapshot of
     * this version and spec or fail their checksum; those checks run before any state is touched.
     */
    public void restore(final byte[] snapshot) {
        readState(FORMAT.open(snapshot, spec.canonical(), stateSize));
    }
}
