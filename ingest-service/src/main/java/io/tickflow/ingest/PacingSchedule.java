package io.tickflow.ingest;

/**
 * Open-loop pacing: item {@code i} is due at {@code start + i / rate}, fixed in advance, so a slow moment is followed
 * by a catch-up burst rather than a silently lower rate. Pure arithmetic on nanosecond clock readings.
 */
final class PacingSchedule {
    private final long startNanos;
    private final double nanosPerItem;

    PacingSchedule(final long startNanos, final double ratePerSecond) {
        if (!(ratePerSecond > 0)) {
            throw new IllegalArgumentException("rate must be > 0, was " + ratePerSecond);
        }
        this.startNanos = startNanos;
        this.nanosPerItem = 1e9 / ratePerSecond;
    }

    /** The clock reading at which item {@code i} (0-based) is due. */
    long dueNanos(final long i) {
        return startNanos + Math.round(i * nanosPerItem);
    }

    /** Items per second achieved when {@code sent} items took until {@code nowNanos}. */
    double achievedRate(final long sent, final long nowNanos) {
        final long elapsed = nowNanos - startNanos;
        return elapsed <= 0 ? 0.0 : sent * 1e9 / elapsed;
    }
}
