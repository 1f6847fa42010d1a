package io.tickflow.bench.harness;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Epoch microseconds read from {@link System#nanoTime()}: the one clock the harness stamps ticks with and reads when
 * an update arrives. Both ends live in the harness JVM, so latency is a difference on one monotonic clock (wall-clock
 * steps and NTP slewing during a run cannot bend it); the epoch anchor only makes the stamp readable by the services.
 */
final class HarnessClock {
    private final long anchorNanos;
    private final long anchorEpochMicros;

    HarnessClock() {
        final Instant now = Instant.now();
        this.anchorNanos = System.nanoTime();
        this.anchorEpochMicros = TimeUnit.SECONDS.toMicros(now.getEpochSecond()) + now.getNano() / 1_000L;
    }

    HarnessClock(final long anchorNanos, final long anchorEpochMicros) {
        this.anchorNanos = anchorNanos;
        this.anchorEpochMicros = anchorEpochMicros;
    }

    long epochMicrosAt(final long nanoTime) {
        return anchorEpochMicros + (nanoTime - anchorNanos) / 1_000L;
    }

    long nowMicros() {
        return epochMicrosAt(System.nanoTime());
    }
}
