package io.tickflow.runtime;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The one rate limit of repeated warnings (bad records, failed sends): at most one log line per interval, which says
 * how many occurrences were suppressed since the previous one. Lock-free and thread-safe.
 *
 * <pre>{@code
 * final long suppressed = warnings.tryAcquire();
 * if (suppressed >= 0) LOG.warn("... suppressedSinceLast={}", ..., suppressed);
 * }</pre>
 */
public final class WarnLimiter {
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final AtomicLong nextNanos;
    private final AtomicLong suppressed = new AtomicLong();

    public WarnLimiter(final long interval, final TimeUnit unit) {
        this(interval, unit, System::nanoTime);
    }

    /** With an injected monotonic clock in nanoseconds (tests). */
    public WarnLimiter(final long interval, final TimeUnit unit, final LongSupplier nanoClock) {
        this.intervalNanos = unit.toNanos(interval);
        this.nanoClock = nanoClock;
        this.nextNanos = new AtomicLong(nanoClock.getAsLong());
    }

    /**
     * Records one occurrence. Returns how many occurrences were suppressed since the last permitted one ({@code >= 0})
     * when this one may be logged, or {@code -1} when it is suppressed.
     */
    public long tryAcquire() {
        final long now = nanoClock.getAsLong();
        final long next = nextNanos.get();
        if (now - next >= 0 && nextNanos.compareAndSet(next, now + intervalNanos)) {
            return suppressed.getAndSet(0);
        }
        suppressed.incrementAndGet();
        return -1;
    }
}
