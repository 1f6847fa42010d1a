package io.tickflow.indicator;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * At-least-once: results are written at once; each interval the lanes are drained and the producer flushed (results
 * durable), then state is written and flushed (state durable), then offsets are committed with {@code commitSync} —
 * so the state on record never covers a tick whose result is not durable, and replay after a crash skips what the
 * state already holds. Nothing to begin or abort: an aborted interval is simply redone from the committed offsets.
 */
final class FlushThenCommitProtocol implements CommitProtocol {
    private final Producer<byte[], byte[]> producer;
    private final Consumer<byte[], byte[]> consumer;
    private final WorkerLanes<LaneProcessor.Work, LaneProcessor> lanes;
    private final SendFailures failures;
    private final CommittedPoint point;

    FlushThenCommitProtocol(final Producer<byte[], byte[]> producer, final Consumer<byte[], byte[]> consumer,
                            final WorkerLanes<LaneProcessor.Work, LaneProcessor> lanes, final SendFailures failures,
                            final CommittedPoint point) {
        this.producer = producer;
        this.consumer = consumer;
        this.lanes = lanes;
        this.failures = failures;
        this.point = point;
    }

    @Override
    public void init() {
        // no transactions
    }

    @Override
    public void begin() {
        // no transactions
    }

    @Override
    public CompletableFuture<Void> commit(final Map<TopicPartition, OffsetAndMetadata> offsets)
            throws InterruptedException {
        lanes.runOnEveryLane(lane -> { });
        producer.flush(); // results durable before the state that claims them
        failures.throwIfAny();
        lanes.runOnEveryLane(LaneProcessor::writeState);
        producer.flush(); // state durable before the offsets that rely on it
        failures.throwIfAny();
        if (!offsets.isEmpty()) {
            point.committing(); // a failed commitSync may have committed: nothing voids it
            consumer.commitSync(offsets);
        }
        return CompletableFuture.completedFuture(null); // durable already: the next interval may build on it
    }

    @Override
    public void abort() {
        // what was written stays written; the redo produces the same results with the same seq
    }

    @Override
    public void abortCommitted() {
        // a commit here fails within commit(), never in its completion
    }

    @Override
    public void close() {
        // nothing of its own
    }
}
