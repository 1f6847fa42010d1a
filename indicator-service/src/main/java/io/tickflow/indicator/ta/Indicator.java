package io.tickflow.indicator.ta;

import java.nio.ByteBuffer;

/**
 * One incremental indicator of one stock. Implementations hold primitive state plus at most one {@code double[]} ring
 * made in the constructor, so {@link #update} is O(1) and allocation-free. Each instance is confined to one thread:
 * no locks, no volatile.
 */
public interface Indicator {

    /** How many doubles {@link #update} writes. */
    int width();

    /** Feeds one tick and writes this indicator's {@link #width()} outputs at {@code out[offset..]}; NaN = not ready. */
    void update(double price, double volume, double[] out, int offset);

    /** Bytes {@link #writeState} writes; fixed for a given configuration. */
    int stateSize();

    /** Writes the full state as plain data (doubles, ints, the ring) so that {@link #readState} can resume it exactly. */
    void writeState(ByteBuffer buffer);

    /** Reads what {@link #writeState} wrote; IllegalArgumentException when a value is out of range. */
    void readState(ByteBuffer buffer);

    /**
     * Makes this state equal to {@code other}'s, which is the same class with the same parameters (the ring copied,
     * not shared). Allocation-free: it is how {@link BarEngine} peeks without touching the committed state.
     */
    void copyFrom(Indicator other);
}
