package io.tickflow.runtime;

/**
 * Open-loop pacing, the one schedule of every paced feed (the simulator, CSV replay at a rate, the benchmarks): item
 * {@code i} is due at {@code start + i / rate}, fixed in advance whatever happened to the items before it. A slow
 * moment is followed by a catch-up burst rather than a silently lower rate, and a load generator that stamps each
 * message with its due time shows its own stalls as latency (no coordinated omission). Each due time is computed from
 * the index, never accumulated, so nothing drifts. Pure arithmetic on nanosecond clock readings; immutable.
 */
public final class PacingSchedule {
    private final long startNanos;
    private final double ratePerSecond;

    public PacingSchedule(final long startNanos, final double ratePerSecond) {
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("rate must be > 0, was " + ratePerSecond);
        }
        this.startNanos = startNanos;
        this.ratePerSecond = ratePerSecond;
    }

    /** Items in {@code seconds} at {@code ratePerSecond}. */
    public static long countFor(final double ratePerSecond, final double seconds) {
        return Math.round(ratePerSecond * seconds);
    }

    /** The clock reading at which item {@code i} (0-based) is due: to the nearest nanosecond. */
    public long dueNanos(final long i) {
        return startNanos + Math.round(i * 1e9 / ratePerSecond);
    }

    /** Items per second achieved when {@code sent} items took until {@code nowNanos}. */
    public double achievedRate(final long sent, final long nowNanos) {
        return perSecond(sent, nowNanos - startNanos);
    }

    /** {@code items} per second over {@code elapsedNanos}; 0 when no time passed. */
    public static double perSecond(final long items, final long elapsedNanos) {
        return elapsedNanos <= 0 ? 0.0 : items * 1e9 / elapsedNanos;
    }

    public long startNanos() {
        return startNanos;
    }

    public double ratePerSecond() {
        return ratePerSecond;
    }
}
