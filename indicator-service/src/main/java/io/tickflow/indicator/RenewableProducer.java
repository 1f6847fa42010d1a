package io.tickflow.indicator;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.metrics.KafkaMetric;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * The service's producer: one client, or in exactly-once mode a pair used in turn, one transaction each
 * ({@link #turn}), so a transaction never begins on the client whose commit was just handed over — that client may
 * still be finishing it on the committer thread ({@link TransactionalCommitProtocol}), and its markers are on their
 * way after it (see {@link MarkerWait}).
 * {@link Recovery} can replace the clients in place when they are past saving (fenced, or in a fatal state): every
 * collaborator keeps this reference, the calls go to the current client. {@link #renew} and {@link #turn} run on the
 * poll thread while no lane sends (after a commit's or an abort's barrier), {@link #renew} also with no commit in
 * flight; fresh clients are made by the factory the service was built with, by slot. Thread-safe as the clients it
 * delegates to.
 */
final class RenewableProducer implements Producer<byte[], byte[]> {
    private static final Duration CLOSE_STALE = Duration.ZERO;

    private final IntFunction<? extends Producer<byte[], byte[]>> factory;
    private final List<Producer<byte[], byte[]>> clients = new ArrayList<>();
    private volatile Producer<byte[], byte[]> current;
    private int slot;

    /** @param slots clients used in turn (1, or 2 for transactions); {@code factory} makes the client of a slot */
    RenewableProducer(final IntFunction<? extends Producer<byte[], byte[]>> factory, final int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be >= 1, was " + slots);
        }
        this.factory = factory;
        for (int i = 0; i < slots; i++) {
            clients.add(factory.apply(i));
        }
        reset();
    }

    /** The last slot is current: the first {@link #turn} goes to slot 0. */
    private void reset() {
        slot = clients.size() - 1;
        current = clients.get(slot);
    }

    /** Makes the next slot's client the current one (the same one with a single slot); returns its slot. */
    int turn() {
        slot = (slot + 1) % clients.size();
        current = clients.get(slot);
        return slot;
    }

    /** The current client's slot. */
    int slot() {
        return slot;
    }

    /** The current client itself: what a commit that finishes on another thread holds on to. */
    Producer<byte[], byte[]> current() {
        return current;
    }

    int slots() {
        return clients.size();
    }

    /**
     * Closes every client at once (their unsent batches fail, their callbacks have run when this returns) and puts
     * new ones, not yet initialised, in their places; the next {@link #turn} goes to slot 0 again.
     */
    void renew() {
        try {
            for (Producer<byte[], byte[]> stale : clients) {
                stale.close(CLOSE_STALE);
            }
        } finally {
            for (int i = 0; i < clients.size(); i++) {
                clients.set(i, factory.apply(i));
            }
            reset();
        }
    }

    /** Initialises every client (each fences an earlier incarnation with its transactional id). */
    @Override
    public void initTransactions() {
        for (Producer<byte[], byte[]> client : clients) {
            client.initTransactions();
        }
    }

    @Override
    public void beginTransaction() {
        current.beginTransaction();
    }

    @Override
    public void sendOffsetsToTransaction(final Map<TopicPartition, OffsetAndMetadata> offsets,
                                         final ConsumerGroupMetadata groupMetadata) {
        current.sendOffsetsToTransaction(offsets, groupMetadata);
    }

    @Override
    public void commitTransaction() {
        current.commitTransaction();
    }

    @Override
    public void abortTransaction() {
        current.abortTransaction();
    }

    @Override
    public void registerMetricForSubscription(final KafkaMetric metric) {
        current.registerMetricForSubscription(metric);
    }

    @Override
    public void unregisterMetricFromSubscription(final KafkaMetric metric) {
        current.unregisterMetricFromSubscription(metric);
    }

    @Override
    public Future<RecordMetadata> send(final ProducerRecord<byte[], byte[]> record) {
        return current.send(record);
    }

    @Override
    public Future<RecordMetadata> send(final ProducerRecord<byte[], byte[]> record, final Callback callback) {
        return current.send(record, callback);
    }

    @Override
    public void flush() {
        current.flush();
    }

    @Override
    public List<PartitionInfo> partitionsFor(final String topic) {
        return current.partitionsFor(topic);
    }

    @Override
    public Map<MetricName, ? extends Metric> metrics() {
        return current.metrics();
    }

    @Override
    public Uuid clientInstanceId(final Duration timeout) {
        return current.clientInstanceId(timeout);
    }

    @Override
    public void close() {
        for (Producer<byte[], byte[]> client : clients) {
            client.close();
        }
    }

    /** Closes every client, each within {@code timeout}. */
    @Override
    public void close(final Duration timeout) {
        for (Producer<byte[], byte[]> client : clients) {
            client.close(timeout);
        }
    }
}
