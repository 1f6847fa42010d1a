package io.tickflow.indicator;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Whether the pipeline makes progress, for {@code /ready}: it does not when work has been waiting — records behind
 * the end of an assigned partition, an open interval, or a failure being recovered from — for {@code PROGRESS_TIMEOUT}
 * without a commit. An idle instance (no lag, nothing open) makes progress by definition. Written by the poll thread,
 * read by any.
 */
final class ProgressWatch {
    private static final long NONE = Long.MIN_VALUE;

    private final LongSupplier nanoTime;
    private final long timeoutNanos;
    private volatile long waitingSince = NONE;

    ProgressWatch(final LongSupplier nanoTime, final Duration timeout) {
        this.nanoTime = nanoTime;
        this.timeoutNanos = timeout.toNanos();
    }

    /** There is work to commit (from now, unless it was already waiting). Poll thread. */
    void waiting() {
        if (waitingSince == NONE) {
            waitingSince = nanoTime.getAsLong();
        }
    }

    /** A commit went through: nothing waits any more. Poll thread. */
    void committed() {
        waitingSince = NONE;
    }

    /** False when work has waited {@code PROGRESS_TIMEOUT} or longer without a commit. Any thread. */
    boolean progressing() {
        final long since = waitingSince;
        return since == NONE || nanoTime.getAsLong() - since < timeoutNanos;
    }
}
