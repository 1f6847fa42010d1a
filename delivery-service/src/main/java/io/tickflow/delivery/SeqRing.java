package io.tickflow.delivery;

import java.util.Arrays;
import java.util.function.IntSupplier;

/**
 * The last records of one stream, in a ring ordered by strictly increasing {@code seq} (the owner appends only a
 * record newer than {@link #latest()}). It keeps at most {@code retain.getAsInt()} records (at least one, never more
 * than the ring's length): the owning book shares one budget among all its streams. Not thread-safe: the owner's
 * monitor guards it.
 */
final class SeqRing<T extends Sequenced> {
    private final T[] ring;
    private final IntSupplier retain;
    private int next;
    private int size;

    /** {@code ring}: an empty array of the capacity, owned by this ring from now on. */
    SeqRing(final T[] ring, final IntSupplier retain) {
        this.ring = ring;
        this.retain = retain;
    }

    /** Adds the newest record and drops the oldest past the retained share. */
    void append(final T record) {
        ring[next] = record;
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
        for (int keep = Math.max(1, retain.getAsInt()); size > keep; size--) {
            ring[(next - size + ring.length) % ring.length] = null;
        }
    }

    /** Drops every record. */
    void clear() {
        Arrays.fill(ring, null);
        size = 0;
    }

    int size() {
        return size;
    }

    /** The newest record, {@code null} if empty. */
    T latest() {
        return size == 0 ? null : ring[(next - 1 + ring.length) % ring.length];
    }

    /** The i-th record in age order, 0 = oldest kept. */
    T at(final int i) {
        return ring[(next - size + i + ring.length) % ring.length];
    }

    /**
     * Where a replay of what followed {@code fromSeq} starts: the index of the first record with a greater seq
     * ({@link #size()} when there is none), or -1 when the ring no longer reaches back to {@code fromSeq + 1}.
     */
    int replayStart(final long fromSeq) {
        final T latest = latest();
        if (latest == null || latest.seq() <= fromSeq) {
            return size;
        }
        if (at(0).seq() > fromSeq + 1) {
            return -1;
        }
        int i = 0;
        while (at(i).seq() <= fromSeq) {
            i++;
        }
        return i;
    }
}
