package io.tickflow.bench;

/**
 * Open-loop pacing: message {@code i} is due at {@code start + i / rate}, whatever happened to the messages before it.
 * The producer stamps each message with its due time, not the time it managed to send it, so a stalled producer shows
 * up as latency instead of silently sending less (no coordinated omission).
 */
final class PacingSchedule {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long startNanos;
    private final long ratePerSecond;
    private final long count;

    PacingSchedule(final long startNanos, final long ratePerSecond, final long count) {
        if (ratePerSecond <= 0) {
            throw new IllegalArgumentException("rate must be > 0, was " + ratePerSecond);
        }
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, was " + count);
        }
        this.startNanos = startNanos;
        this.ratePerSecond = ratePerSecond;
        this.count = count;
    }

    /** Messages in {@code seconds} at {@code ratePerSecond}. */
    static long countFor(final long ratePerSecond, final double seconds) {
        return Math.round(ratePerSecond * seconds);
    }

    /** When message {@code index} is due (nanoTime scale). */
    long dueNanos(final long index) {
        // Integer arithmetic: no drift from accumulated rounding; index * 1e9 overflows only past 9.2e9 messages.
        return startNanos + index * NANOS_PER_SECOND / ratePerSecond;
    }

    long endNanos() {
        return dueNanos(count);
    }

    long startNanos() {
        return startNanos;
    }

    long ratePerSecond() {
        return ratePerSecond;
    }

    long count() {
        return count;
    }
}
