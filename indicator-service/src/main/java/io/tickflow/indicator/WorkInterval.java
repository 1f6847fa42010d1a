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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;

/**
 * The open commit interval: opened at the first record handed to a lane after the last commit, it collects the
 * offsets handed over and lasts {@code COMMIT_INTERVAL} on the injected nano clock; then it is committed through the
 * {@link CommitProtocol}, or aborted. A commit may end on the committer thread while the next interval is open (it is
 * then <em>in flight</em>); its outcome counts once it is {@link #settle}d, and the next commit settles it first. An
 * abortable failure ({@link FailureKind#ABORT}: a failed send, a commit timeout, a stale generation) aborts the
 * interval, and an interval open on top of a failed commit with it; any other propagates to the processor's
 * {@link Recovery}. Each abort tells {@link PoisonRecords} which record was to blame, if one was; each commit tells it
 * what is done with, and tells the {@link ProgressWatch} and the {@link CommittedPoint}. Poll thread only.
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
    private Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    private boolean open;
    private long openedNanos;
    private InFlight inFlight;

    /** A commit handed over: its offsets, its start and its completion, which stamps its end on the nano clock. */
    private record InFlight(Map<TopicPartition, OffsetAndMetadata> offsets, long beganNanos,
                            CompletableFuture<Long> endedNanos) {
    }

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

    /** The commit in flight has ended, well or not: {@link #settle} would not wait. */
    boolean landed() {
        return inFlight != null && inFlight.endedNanos().isDone();
    }

    /** The partitions went: their offsets leave the interval (their records are forgotten by the lanes). */
    void forget(final Collection<TopicPartition> partitions) {
        offsets.keySet().removeAll(partitions);
        point.forget(partitions);
        poison.forget(partitions);
    }

    /**
     * Commits the open interval and waits until it is durable (true; also when none is open). False when it, or the
     * commit in flight before it, was aborted: the caller rewinds what stays its own. Failures propagate as from
     * {@link #commitInBackground} and {@link #settle}.
     */
    boolean commit() throws InterruptedException {
        return commitInBackground() && settle();
    }

    /**
     * Settles the commit in flight, then commits the open interval, which may still be in flight when this returns
     * (true; also when none is open). On an abortable failure aborts it and returns false: the caller rewinds what
     * stays its own. Other failures, a failed abort (the interval is then discarded) and a wakeup (the interval then
     * stays open) propagate.
     */
    boolean commitInBackground() throws InterruptedException {
        if (!settle()) {
            return false;
        }
        if (!open) {
            return true;
        }
        final long began = nanoTime.getAsLong();
        final CompletableFuture<Void> completion;
        try {
            completion = protocol.commit(offsets);
        } catch (WakeupException e) {
            throw e; // stop() woke commitSync: the interval stays open and shutdown commits it
        } catch (KafkaException | IllegalStateException e) {
            if (FailureKind.of(e) != FailureKind.ABORT) {
                throw e;
            }
            abort(e);
            return false;
        }
        metrics.commitPause.observe((nanoTime.getAsLong() - began) / 1e9);
        inFlight = new InFlight(offsets, began, completion.thenApply(done -> nanoTime.getAsLong()));
        offsets = new HashMap<>();
        open = false;
        return completion.isDone() ? settle() : true;
    }

    /**
     * Waits for the commit in flight, if one is, and counts it as committed (true). When it failed abortably, aborts
     * it, then the interval open on top of it (false: the caller rewinds what stays its own); when its abort is
     * refused (a commit that timed out is in doubt) or it failed otherwise, the failure propagates with the commit in
     * doubt ({@link CommittedPoint}) and the open interval left to the caller.
     */
    boolean settle() throws InterruptedException {
        if (inFlight == null) {
            return true;
        }
        final InFlight commit = inFlight;
        final long ended;
        try {
            ended = landedAt(commit);
        } catch (KafkaException | IllegalStateException e) {
            LOG.warn("interval failed in its commit cause={}", e.toString());
            metrics.transactions.labelValues("aborted").inc();
            if (FailureKind.of(e) != FailureKind.ABORT) {
                throw e;
            }
            protocol.abortCommitted(); // first: until it proves the commit void, the commit is in doubt
            abort(e); // the interval open on top of it builds on what was not committed
            return false;
        }
        committed(commit, ended);
        return true;
    }

    private void committed(final InFlight commit, final long endedNanos) {
        final long took = endedNanos - commit.beganNanos();
        LOG.debug("committed offsets={} ms={}", commit.offsets(), took / 1_000_000);
        metrics.transactions.labelValues("committed").inc();
        metrics.commitDuration.observe(took / 1e9);
        point.committed(commit.offsets());
        poison.committed(commit.offsets());
        progress.committed();
        if (open) {
            progress.waiting(); // the interval open on top of it waits for its own commit
        }
    }

    /**
     * Waits for the commit in flight to end and returns the nano time it ended at, or rethrows its failure as the
     * protocol threw it; either way it is then no longer in flight. Interrupted, it stays in flight.
     */
    private long landedAt(final InFlight commit) throws InterruptedException {
        try {
            return commit.endedNanos().get();
        } catch (ExecutionException e) {
            final Throwable cause = e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new KafkaException("commit failed", cause);
        } finally {
            if (commit.endedNanos().isDone()) {
                inFlight = null;
            }
        }
    }

    /**
     * Abandons the open interval: {@link #settle}s the commit in flight (when that fails, it aborts the open interval
     * itself), {@link #discard}s the interval's work, then aborts its transaction (a failure of that abort propagates:
     * the producer is then past saving).
     */
    void abort(final Exception cause) throws InterruptedException {
        if (!settle()) {
            return;
        }
        final boolean wasOpen = open;
        discard(cause);
        if (wasOpen) {
            protocol.abort();
        }
    }

    /**
     * Forgets the interval's work without a word to the producer (which is about to be renewed, and whose renewal
     * aborts the transaction): waits for the commit in flight (one that went through counts; a failed one is ended by
     * the renewal), and until no lane sends into the interval; forgets its send failures (telling
     * {@link PoisonRecords} whom they blamed), offsets, backlog and every lane's stocks (the caller reloads what stays
     * its own).
     */
    void discard(final Exception cause) throws InterruptedException {
        settleQuietly();
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

    /**
     * Waits for the commit in flight, if one is, before its producer goes (renewed or closed): one that went through
     * counts; a failed one is left to whatever ends its transaction (the renewal, or the next owner's fencing).
     */
    private void settleQuietly() throws InterruptedException {
        if (inFlight == null) {
            return;
        }
        final InFlight commit = inFlight;
        try {
            committed(commit, landedAt(commit));
        } catch (RuntimeException e) {
            LOG.warn("interval failed in its commit, its transaction ends with the producer cause={}", e.toString());
            metrics.transactions.labelValues("aborted").inc();
        }
    }

    /**
     * Shutdown without a final commit (after a fatal failure, or when it failed): waits for the commit in flight, then
     * aborts what is open, if the producer still can.
     */
    void abandon() throws InterruptedException {
        settleQuietly();
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
