package io.tickflow.indicator;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.Map;

/**
 * Exactly-once: one transaction per commit interval, begun at its first record, holding its results, DLQ records,
 * state records and consumer offsets ({@code sendOffsetsToTransaction} with the consumer's group metadata, so a
 * zombie of an older group generation is fenced). An abort discards all of it; the caller then rewinds the
 * partitions it keeps to their committed offsets and state ({@link PartitionOwnership#rewind}). Each transaction
 * begins on the next of the producer's clients ({@link RenewableProducer#turn}), once the markers of that client's
 * previous one are written ({@link MarkerWait}): commits stay one after the other (a commit returns once every record
 * of its transaction is acknowledged, so no result of the next can overtake one of it), but the next need not wait
 * for the markers of the one just committed.
 */
final class TransactionalCommitProtocol implements CommitProtocol {
    private final RenewableProducer producer;
    private final Consumer<byte[], byte[]> consumer;
    private final WorkerLanes<LaneProcessor.Work, LaneProcessor> lanes;
    private final SendFailures failures;
    private final MarkerWait markers;
    private final CommittedPoint point;

    TransactionalCommitProtocol(final RenewableProducer producer, final Consumer<byte[], byte[]> consumer,
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
        producer.initTransactions(); // fences earlier incarnations with our transactional ids, aborting their open work
    }

    @Override
    public void begin() throws InterruptedException {
        markers.awaitPreviousTransaction(producer.turn());
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
        markers.ended(producer.slot());
    }

    @Override
    public void abort() {
        producer.abortTransaction();
        markers.ended(producer.slot());
        point.aborted(); // refused after a commit in doubt: then the renewal ends the transaction, the doubt stays
    }
}
