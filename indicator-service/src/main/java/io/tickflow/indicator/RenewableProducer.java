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
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * The service's one producer, which {@link Recovery} can replace in place when it is past saving (fenced, or in a
 * fatal state): every collaborator keeps this reference, the calls go to the current client. {@link #renew} runs on
 * the poll thread while no lane sends (after an abort's barrier); a fresh client is made by the factory the service
 * was built with. Thread-safe as the client it delegates to.
 */
final class RenewableProducer implements Producer<byte[], byte[]> {
    private static final Duration CLOSE_STALE = Duration.ZERO;

    private final Supplier<? extends Producer<byte[], byte[]>> factory;
    private volatile Producer<byte[], byte[]> current;

    RenewableProducer(final Supplier<? extends Producer<byte[], byte[]>> factory) {
        this.factory = factory;
        this.current = factory.get();
    }

    /**
     * Closes the current client at once (its unsent batches fail, their callbacks have run when this returns) and
     * puts a new one, not yet initialised, in its place.
     */
    void renew() {
        final Producer<byte[], byte[]> stale = current;
        try {
            stale.close(CLOSE_STALE);
        } finally {
            current = factory.get();
        }
    }

    @Override
    public void initTransactions() {
        current.initTransactions();
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
        current.close();
    }

    @Override
    public void close(final Duration timeout) {
        current.close(timeout);
    }
}
