package io.tickflow.indicator;

import java.util.Arrays;

/**
 * The stream time of each input partition, owned by the poll thread: the largest timestamp of the partition's ticks
 * that passed the {@link TickGate}, in offset order. Every tick handed to a lane is stamped with its partition's
 * stream time as of that tick (the tick included), so each lane's {@code BarCloser} sees exactly the partition's stream
 * time at each of its records, however the records are batched and spread over lanes. After a restore a partition's
 * stream time is set to the maximum {@code StockBars.maxTimestamp} of its restored stocks (see PartitionOwnership).
 * {@link #touched} lists the partitions stamped since the last {@link #clearTouched}: after each poll batch their
 * stream time is broadcast to every lane. Confined to the poll thread; nothing allocated per tick.
 */
final class StreamTimes {
    /** No tick yet. */
    static final long NONE = Long.MIN_VALUE;

    private long[] times = new long[0];
    private boolean[] touched = new boolean[0];

    /** Moves the partition's stream time to {@code timestamp} if later; returns the stream time. */
    long stamp(final int partition, final long timestamp) {
        ensure(partition);
        if (timestamp > times[partition]) times[partition] = timestamp;
        touched[partition] = true;
        return times[partition];
    }

    long of(final int partition) {
        return partition < times.length ? times[partition] : NONE;
    }

    /** Sets the partition's stream time (after a restore: from its restored stocks). */
    void reset(final int partition, final long time) {
        ensure(partition);
        times[partition] = time;
        touched[partition] = false;
    }

    boolean touched(final int partition) {
        return partition < touched.length && touched[partition];
    }

    int partitions() {
        return times.length;
    }

    void clearTouched() {
        Arrays.fill(touched, false);
    }

    private void ensure(final int partition) {
        if (partition >= times.length) {
            final int from = times.length;
            times = Arrays.copyOf(times, partition + 1);
            touched = Arrays.copyOf(touched, partition + 1);
            Arrays.fill(times, from, times.length, NONE);
        }
    }
}
