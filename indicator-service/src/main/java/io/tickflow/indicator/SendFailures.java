package io.tickflow.indicator;

import io.prometheus.metrics.core.metrics.Counter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TransactionAbortedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The failures of the open interval's sends, collected for its commit: the first error is kept (the commit then fails
 * and the interval is aborted), every failed send is counted by topic kind; and the first error that is about a
 * source record ({@link FailureKind#aboutTheRecord}) is kept with that record's coordinates, so a record that keeps
 * failing its interval can be told ({@link PoisonRecords}). Only the first failure is logged: when a transaction is
 * fenced or times out, every batch in flight fails with it, thousands of callbacks within milliseconds. Written from the producer's I/O thread (send callbacks)
 * and the lane threads, read by the poll thread at the commit barrier. Thread-safe.
 */
final class SendFailures {
    private static final Logger LOG = LoggerFactory.getLogger(SendFailures.class);

    /** A source record and the error of its send or processing that was about it. */
    record Culprit(TopicPartition source, long offset, Exception error) {
    }

    private final Counter counter;
    private final AtomicReference<Exception> first = new AtomicReference<>();
    private final AtomicReference<Culprit> culprit = new AtomicReference<>();

    /** @param counter the send failure counter, labelled by topic kind ({@code results}, {@code state}, {@code dlq}) */
    SendFailures(final Counter counter) {
        this.counter = counter;
    }

    /**
     * A send callback reported {@code e}: counted under {@code kind}, kept when it is the interval's first failure —
     * unless it is a batch of a transaction we aborted ({@link TransactionAbortedException}): those callbacks may
     * come after the abort returned, into the next interval, which they must not fail (seen after a broker outage as
     * a chain of needless aborts).
     */
    void sendFailed(final String kind, final Exception e) {
        record(kind, e, null);
    }

    /** Like {@link #sendFailed(String, Exception)}, for a send made for one source record (a dead-letter copy). */
    void sendFailed(final String kind, final Exception e, final ConsumerRecord<?, ?> source) {
        record(kind, e, source);
        blame(e, source);
    }

    private void record(final String kind, final Exception e, final ConsumerRecord<?, ?> source) {
        counter.labelValues(kind).inc();
        if (e instanceof TransactionAbortedException || !first.compareAndSet(null, e)) {
            return;
        }
        LOG.error("send failed kind={}{}; the interval fails its commit, its further send failures are only counted"
                        + " (tickflow_producer_send_failures_total)", kind,
                source == null ? "" : " source=" + source.topic() + "-" + source.partition() + "@" + source.offset(),
                e);
    }

    /** Handing a result to the producer failed on a lane (not a completed send, so not counted): kept if first. */
    void handOverFailed(final Exception e) {
        first.compareAndSet(null, e);
    }

    /** Processing {@code source} threw {@code e} on its lane (not a completed send, so not counted). */
    void handOverFailed(final Exception e, final ConsumerRecord<?, ?> source) {
        handOverFailed(e);
        blame(e, source);
    }

    private void blame(final Exception e, final ConsumerRecord<?, ?> source) {
        if (FailureKind.aboutTheRecord(e)) {
            culprit.compareAndSet(null, new Culprit(new TopicPartition(source.topic(), source.partition()),
                    source.offset(), e));
        }
    }

    /** Fails the commit when a send of this interval failed. */
    void throwIfAny() {
        final Exception e = first.get();
        if (e != null) {
            throw new KafkaException("a send of this interval failed", e);
        }
    }

    /** The first failure of this interval that was about a source record, or null. */
    Culprit culprit() {
        return culprit.get();
    }

    /** Forgets the aborted interval's failures. */
    void clear() {
        first.set(null);
        culprit.set(null);
    }
}
