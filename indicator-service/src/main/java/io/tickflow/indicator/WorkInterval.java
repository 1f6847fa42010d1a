package io.tickflow.indicator;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The open commit interval: opened at the first record handed to a lane after the last commit, it collects the
 * offsets handed over and lasts {@code COMMIT_INTERVAL} on the injected nano clock; then it is committed through the
 * {@link CommitProtocol}, or aborted. An abortable failure ({@link FailureKind#ABORT}: a failed send, a commit
 * timeout, a stale generation) aborts it; any other propagates to the processor's {@link Recovery}. Each abort tells
 * {@link PoisonRecords} which record was to blame, if one was; each commit tells it what is done with, and tells the
 * {@link ProgressWatch}. Poll thread only.
 */
final class WorkInterval {
    private static final Logger LOG = LoggerFactory.getLogger(WorkInterval.class);

    private final CommitProtocol protocol;
    private final WorkerLanes<LaneProcessor.Work, LaneProcessor> lanes;
    private final SendFailures failures;
    private final IndicatorMetrics metrics;
    private final PoisonRecords poison;
    private final ProgressWatch progress;
    private final LongSupplier nanoTime;
    private final long lengthNanos;
    private final CommittedPoint point;
    private final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    private boolean open;
    private long openedNanos;

    WorkInterval(final CommitProtocol protocol, final WorkerLanes<LaneProcessor.Work, LaneProcessor> lanes,
                 final SendFailures failures, final IndicatorMetrics metrics, final PoisonRecords poison,
                 final ProgressWatch progress, final LongSupplier nanoTime, final Duration length,
                 final CommittedPoint point) {
        this.protocol = protocol;
        this.lanes = lanes;
        this.failures = failures;
        this.metrics = metrics;
        this.poison = poison;
        this.progress = progress;
        this.nanoTime = nanoTime;
        this.lengthNanos = length.toNanos();
        this.point = point;
    }

    boolean isOpen() {
        return open;
    }

    /** Opens the interval unless it is open: records are about to be handed to the lanes. */
    void open() throws InterruptedException {
        if (!open) {
            progress.waiting();
            protocol.begin();
            open = true;
            openedNanos = nanoTime.getAsLong();
        }
    }

    /** A record is with its lane: the interval's commit covers it. */
    void handedOver(final LaneProcessor.Work work) {
        final ConsumerRecord<byte[], byte[]> r = work.record();
        offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
    }

    /** Time left until the open interval is due (0 when overdue); {@code idle} when none is open. */
    Duration pollTimeout(final Duration idle) {
        return open ? Duration.ofNanos(remainingNanos()) : idle;
    }

    long remainingNanos() {
        return Math.max(0L, lengthNanos - (nanoTime.getAsLong() - openedNanos));
    }

    boolean due() {
        return open && nanoTime.getAsLong() - openedNanos >= lengthNanos;
    }

    /** The partitions went: their offsets leave the interval (their records are forgotten by the lanes). */
    void forget(final Collection<TopicPartition> partitions) {
        offsets.keySet().removeAll(partitions);
        point.forget(partitions);
        poison.forget(partitions);
    }

    /**
     * Commits the open interval (true; also when none is open). On an abortable failure aborts it and returns false:
     * the caller rewinds what stays its own. Other failures, a failed abort (the interval is then discarded) and a
     * wakeup (the interval then stays open) propagate.
     */
    boolean commit() throws InterruptedException {
        if (!open) {
            return true;
        }
        final long began = nanoTime.getAsLong();
        try {
            protocol.commit(offsets);
        } catch (WakeupException e) {
            throw e; // stop() woke commitSync: the interval stays open and shutdown commits it
        } catch (KafkaException | IllegalStateException e) {
            if (FailureKind.of(e) != FailureKind.ABORT) {
                throw e;
            }
            abort(e);
            return false;
        }
        final long took = nanoTime.getAsLong() - began;
        LOG.debug("committed offsets={} ms={}", offsets, took / 1_000_000);
        metrics.transactions.labelValues("committed").inc();
        metrics.commitDuration.observe(took / 1e9);
        point.committed(offsets);
        poison.committed(offsets);
        progress.committed();
        offsets.clear();
        open = false;
        return true;
    }

    /**
     * Abandons the open interval: {@link #discard}s its work, then aborts its transaction (a failure of that abort
     * propagates: the producer is then past saving).
     */
    void abort(final Exception cause) throws InterruptedException {
        final boolean wasOpen = open;
        discard(cause);
        if (wasOpen) {
            protocol.abort();
        }
    }

    /**
     * Forgets the interval's work without a word to the producer (which is about to be renewed, and whose renewal
     * aborts the transaction): waits until no lane sends into it, forgets its send failures (telling
     * {@link PoisonRecords} whom they blamed), offsets, backlog and every lane's stocks (the caller reloads what stays
     * its own).
     */
    void discard(final Exception cause) throws InterruptedException {
        if (open) {
            LOG.warn("interval aborted cause={}", cause.toString());
            metrics.transactions.labelValues("aborted").inc();
        }
        progress.waiting();
        lanes.runOnEveryLane(lane -> { }); // no lane may still send into the aborted interval
        poison.aborted(failures.culprit());
        failures.clear();
        open = false;
        offsets.clear();
        lanes.discardBacklog(work -> true);
        lanes.runOnEveryLane(LaneProcessor::dropAll);
    }

    /** Shutdown after a failed final commit: aborts what is open, if the producer still can. */
    void abandon() {
        if (!open) {
            return;
        }
        open = false;
        try {
            protocol.abort();
        } catch (RuntimeException e) {
            LOG.debug("abort after failed final commit", e);
        }
    }
}
