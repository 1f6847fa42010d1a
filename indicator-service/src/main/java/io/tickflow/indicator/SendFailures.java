package io.tickflow.indicator;

import io.prometheus.metrics.core.metrics.Counter;
import org.apache.kafka.common.KafkaException;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The failures of the open interval's sends, collected for its commit: the first error is kept (the commit then fails
 * and the interval is aborted), every failed send is counted by topic kind. Written from the producer's I/O thread
 * (send callbacks) and the lane threads, read by the poll thread at the commit barrier. Thread-safe.
 */
final class SendFailures {
    private final Counter counter;
    private final AtomicReference<Exception> first = new AtomicReference<>();

    /** @param counter the send failure counter, labelled by topic kind ({@code results}, {@code state}, {@code dlq}) */
    SendFailures(final Counter counter) {
        this.counter = counter;
    }

    /** A send callback reported {@code e}: counted under {@code kind}, kept when it is the interval's first failure. */
    void sendFailed(final String kind, final Exception e) {
        counter.labelValues(kind).inc();
        first.compareAndSet(null, e);
    }

    /** Handing a result to the producer failed on a lane (not a completed send, so not counted): kept if first. */
    void handOverFailed(final Exception e) {
        first.compareAndSet(null, e);
    }

    /** Fails the commit when a send of this interval failed. */
    void throwIfAny() {
        final Exception e = first.get();
        if (e != null) {
            throw new KafkaException("a send of this interval failed", e);
        }
    }

    /** Forgets the aborted interval's failures. */
    void clear() {
        first.set(null);
    }
}
