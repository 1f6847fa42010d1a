package io.tickflow.bench.harness;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The latency samples of one measured run: microseconds from a message's intended send time to its arrival, for
 * messages intended at or after {@code measureFromMicros} (earlier ones are the warm-up and only counted).
 * Written by any number of receiver threads.
 */
final class LatencyRecording {
    static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(10);

    private final long measureFromMicros;
    private final ConcurrentHistogram histogram = new ConcurrentHistogram(HIGHEST_MICROS, 3);
    private final ConcurrentHistogram computeStage = new ConcurrentHistogram(HIGHEST_MICROS, 3);
    private final ConcurrentHistogram deliveryStage = new ConcurrentHistogram(HIGHEST_MICROS, 3);
    private final LongAdder warmupSamples = new LongAdder();
    private volatile long lastSampleNanos = System.nanoTime();

    LatencyRecording(final long measureFromMicros) {
        this.measureFromMicros = measureFromMicros;
    }

    /** One message stamped {@code intendedMicros} arrived at {@code arrivedMicros} (both {@link HarnessClock}). */
    void record(final long intendedMicros, final long arrivedMicros) {
        lastSampleNanos = System.nanoTime();
        if (intendedMicros < measureFromMicros) {
            warmupSamples.increment();
            return;
        }
        final long latency = Math.max(0L, arrivedMicros - intendedMicros);
        histogram.recordValue(Math.min(latency, HIGHEST_MICROS));
    }

    /**
     * One result that also says when it was computed: the end-to-end sample plus its split into intended send →
     * computed and computed → arrival. The computed stamp is the service's wall clock, not {@link HarnessClock}:
     * in one JVM they differ by the clock drift since the harness started (µs), across machines by the clock skew.
     */
    void record(final long intendedMicros, final long computedMicros, final long arrivedMicros) {
        record(intendedMicros, arrivedMicros);
        if (computedMicros == 0L || intendedMicros < measureFromMicros) {
            return;
        }
        computeStage.recordValue(Math.min(Math.max(0L, computedMicros - intendedMicros), HIGHEST_MICROS));
        deliveryStage.recordValue(Math.min(Math.max(0L, arrivedMicros - computedMicros), HIGHEST_MICROS));
    }

    /** Intended send → computed (the indicator hop, producer included), empty when results carry no computed_us. */
    Histogram computeStage() {
        return computeStage.copy();
    }

    /** Computed → arrival at the client (transaction commit, the delivery hop, the WebSocket). */
    Histogram deliveryStage() {
        return deliveryStage.copy();
    }

    /** A copy of the samples so far. */
    Histogram snapshot() {
        return histogram.copy();
    }

    long measuredSamples() {
        return histogram.getTotalCount();
    }

    long warmupSamples() {
        return warmupSamples.sum();
    }

    long lastSampleNanos() {
        return lastSampleNanos;
    }
}
