package io.tickflow.indicator;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Exactly-once: one transaction per commit interval, begun at its first record, holding its results, DLQ records,
 * state records and consumer offsets ({@code sendOffsetsToTransaction} with the consumer's group metadata, so a
 * zombie of an older group generation is fenced). An abort discards all of it; the caller then rewinds the
 * partitions it keeps to their committed offsets and state ({@link PartitionOwnership#rewind}).
 *
 * <p>Each transaction begins on the next of the producer's clients ({@link RenewableProducer#turn}); a commit completes
 * once its markers are written ({@link MarkerWait}), so the client's next transaction cannot meet them. With two
 * clients a commit overlaps the next interval. The poll thread waits for a barrier on the lanes and a flush of the
 * interval's client — every result, bar and dead letter of the interval acknowledged, so none the next interval sends
 * can overtake one — and for a second barrier where the lanes send the state records. The committer thread then
 * sends the offsets (a round trip to each coordinator), ends the transaction (which waits for the state records, then
 * one more round trip) and waits for its markers — the larger part of a commit — while the next interval runs on the
 * other client. Commits stay one after the other: the next waits for this completion ({@link WorkInterval}) before
 * its own state records are sent, so they cannot overtake these either. With one client the whole commit runs on the
 * poll thread.
 */
final class TransactionalCommitProtocol implements CommitProtocol {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionalCommitProtocol.class);
    /** A commit in flight has been settled by then, unless the final commit failed and shutdown gave up on it. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(3);

    private final RenewableProducer producer;
    private final Consumer<byte[], byte[]> consumer;
    private final WorkerLanes<LaneProcessor.Work, LaneProcessor> lanes;
    private final SendFailures failures;
    private final MarkerWait markers;
    private final CommittedPoint point;
    private final ExecutorService committer;
    /** The client and slot of the last commit handed to the committer. */
    private Producer<byte[], byte[]> committing;
    private int committingSlot;

    /** @param committer one thread, where a commit's last calls run while the next interval begins (two clients) */
    TransactionalCommitProtocol(final RenewableProducer producer, final Consumer<byte[], byte[]> consumer,
                                final WorkerLanes<LaneProcessor.Work, LaneProcessor> lanes,
                                final SendFailures failures, final MarkerWait markers, final CommittedPoint point,
                                final ExecutorService committer) {
        this.producer = producer;
        this.consumer = consumer;
        this.lanes = lanes;
        this.failures = failures;
        this.markers = markers;
        this.point = point;
        this.committer = committer;
    }

    @Override
    public void init() {
        producer.initTransactions(); // fences earlier incarnations with our transactional ids, aborting their open work
    }

    @Override
    public void begin() throws InterruptedException {
        markers.awaitWritten(producer.turn()); // known written, unless the client's last transaction was aborted
        producer.beginTransaction();
    }

    @Override
    public CompletableFuture<Void> commit(final Map<TopicPartition, OffsetAndMetadata> offsets)
            throws InterruptedException {
        final Producer<byte[], byte[]> client = producer.current();
        final int slot = producer.slot();
        final ConsumerGroupMetadata group = consumer.groupMetadata(); // the consumer is the poll thread's alone
        if (producer.slots() == 1) {
            lanes.runOnEveryLane(LaneProcessor::writeState);
            failures.throwIfAny();
            point.committing();
            finish(client, slot, offsets, group);
            return CompletableFuture.completedFuture(null);
        }
        lanes.runOnEveryLane(LaneProcessor::sendHeldBack);
        client.flush(); // the interval's results acknowledged: none the next interval sends can overtake them
        failures.throwIfAny();
        // Not flushed here: the next interval writes state only at its own commit, after this one has ended.
        lanes.runOnEveryLane(LaneProcessor::writeStateRecords);
        failures.throwIfAny();
        point.committing();
        committing = client;
        committingSlot = slot;
        return CompletableFuture.runAsync(() -> finish(client, slot, offsets, group), committer);
    }

    private void finish(final Producer<byte[], byte[]> client, final int slot,
                        final Map<TopicPartition, OffsetAndMetadata> offsets, final ConsumerGroupMetadata group) {
        if (!offsets.isEmpty()) {
            client.sendOffsetsToTransaction(offsets, group);
        }
        client.commitTransaction();
        markers.ended(slot);
        awaitMarkers(slot);
    }

    /** The commit completes once its markers are written, so its client's next begin need not wait for them. */
    private void awaitMarkers(final int slot) {
        try {
            markers.awaitWritten(slot);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the client's next begin asks again
        }
    }

    @Override
    public void abort() {
        producer.abortTransaction();
        markers.ended(producer.slot());
        point.aborted(); // not reached when refused (after a commit that timed out): the doubt stays
    }

    @Override
    public void abortCommitted() {
        committing.abortTransaction(); // refused after a commitTransaction that timed out: the doubt stays
        markers.ended(committingSlot);
        point.aborted();
    }

    @Override
    public void close() {
        committer.shutdown();
        try {
            if (!committer.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("a commit was still running {} after shutdown began; the clients close under it",
                        CLOSE_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
