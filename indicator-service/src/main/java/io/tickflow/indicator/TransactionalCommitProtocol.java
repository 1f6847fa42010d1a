package io.tickflow.indicator;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;

import java.util.Map;

/**
 * Exactly-once: one transaction per commit interval, begun at its first record, holding its results, DLQ records,
 * state records and consumer offsets ({@code sendOffsetsToTransaction} with the consumer's group metadata, so a
 * zombie of an older group generation is fenced). An abort discards all of it; the caller then rewinds the
 * partitions it keeps to their committed offsets and state ({@link PartitionOwnership#rewind}). A transaction begins
 * once the markers of the previous one are written ({@link MarkerWait}).
 */
final class TransactionalCommitProtocol implements CommitProtocol {
    private final Producer<byte[], byte[]> producer;
    private final Consumer<byte[], byte[]> consumer;
    private final WorkerLanes<LaneProcessor.Work, LaneProcessor> lanes;
    private final SendFailures failures;
    private final MarkerWait markers;
    private final CommittedPoint point;

    TransactionalCommitProtocol(final Producer<byte[], byte[]> producer, final Consumer<byte[], byte[]> consumer,
                                final WorkerLanes<LaneProcessor.Work, LaneProcessor> lanes,
                                final SendFailures failures, final MarkerWait markers, final CommittedPoint point) {
        this.producer = producer;
        this.consumer = consumer;
        this.lanes = lanes;
        this.failures = failures;
        this.markers = markers;
        this.point = point;
    }

    @Override
    public void init() {
        producer.initTransactions(); // fences an earlier incarnation with our transactional.id, aborting its open work
    }

    @Override
    public void begin() throws InterruptedException {
        markers.awaitPreviousTransaction();
        producer.beginTransaction();
    }

    @Override
    public void commit(final Map<TopicPartition, OffsetAndMetadata> offsets) throws InterruptedException {
        lanes.runOnEveryLane(LaneProcessor::writeState);
        failures.throwIfAny();
        if (!offsets.isEmpty()) {
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
        }
        point.committing();
        producer.commitTransaction();
    }

    @Override
    public void abort() {
        producer.abortTransaction();
        point.aborted(); // refused after a commit in doubt: then the renewal ends the transaction, the doubt stays
    }
}
