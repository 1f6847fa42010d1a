package io.tickflow.indicator.ta;

import java.nio.ByteBuffer;

/**
 * One incremental indicator over final bars of one stock and interval (high, low, close, volume of each bar).
 * Same contract as {@link Indicator}: primitive state plus at most one {@code double[]} ring made in the constructor,
 * {@link #update} allocation-free, NaN = not ready (TA-Lib's look-back), confined to one thread.
 */
public interface BarIndicator {

    /** How many doubles {@link #update} writes. */
    int width();

    /** Feeds one final bar and writes this indicator's {@link #width()} outputs at {@code out[offset..]}. */
    void update(double high, double low, double close, double volume, double[] out, int offset);

    /** Bytes {@link #writeState} writes; fixed for a given configuration. */
    int stateSize();

    /** Writes the full state as plain data so that {@link #readState} resumes it exactly. */
    void writeState(ByteBuffer buffer);

    /** Reads what {@link #writeState} wrote; IllegalArgumentException when a value is out of range. */
    void readState(ByteBuffer buffer);

    /** Makes this state equal to {@code other}'s (same class and parameters; rings copied). Allocation-free. */
    void copyFrom(BarIndicator other);
}
