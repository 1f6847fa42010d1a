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
 *
 * <p>With BAR_IDLE_CLOSE, {@link #advanceIdle} also moves a partition's stream time when it has stood still for that
 * long on the wall clock: by the wall time since it last moved, so event time keeps the wall clock's pace from the
 * partition's last tick (replayed old data is not closed up to "now"). Such a partition counts as touched.
 */
final class StreamTimes {
    /** No tick yet. */
    static final long NONE = Long.MIN_VALUE;

    private long[] times = new long[0];
    private boolean[] touched = new boolean[0];
    /** BAR_IDLE_CLOSE: the stream time at the last idle check, and the wall time (nanos) since it has stood there. */
    private long[] still = new long[0];
    private long[] stillSince = new long[0];
    private boolean[] clockRunning = new boolean[0];

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
        clockRunning[partition] = false; // its quiet time counts from now on, not from before the restore
    }

    /**
     * BAR_IDLE_CLOSE, called every loop turn: each partition (with a stream time) whose stream time has stood still
     * for at least {@code idleNanos} of wall time since the turn that first saw it there moves forward by that wall
     * time, in whole milliseconds, and is touched; its quiet time then counts anew. True when any moved.
     */
    boolean advanceIdle(final long nowNanos, final long idleNanos) {
        boolean moved = false;
        for (int p = 0; p < times.length; p++) {
            if (times[p] == NONE) continue;
            if (!clockRunning[p] || times[p] != still[p]) {
                still[p] = times[p];
                stillSince[p] = nowNanos;
                clockRunning[p] = true;
                continue;
            }
            final long quietMillis = (nowNanos - stillSince[p]) / 1_000_000L;
            if (nowNanos - stillSince[p] < idleNanos) continue;
            times[p] += quietMillis;
            still[p] = times[p];
            stillSince[p] += quietMillis * 1_000_000L; // the sub-millisecond rest counts into the next step
            touched[p] = true;
            moved = true;
        }
        return moved;
    }

    /** The quiet time of every partition counts from the next {@link #advanceIdle} (e.g. while fetching is paused). */
    void restartIdleClocks() {
        Arrays.fill(clockRunning, false);
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
            still = Arrays.copyOf(still, partition + 1);
            stillSince = Arrays.copyOf(stillSince, partition + 1);
            clockRunning = Arrays.copyOf(clockRunning, partition + 1);
            Arrays.fill(times, from, times.length, NONE);
        }
    }
}
