package io.tickflow.ingest;

import io.tickflow.model.Json;
import io.tickflow.model.Tick;
import io.tickflow.runtime.KafkaClientProperties;
import io.tickflow.runtime.WarnLimiter;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes ticks to the ticks topic: key = stock_id (UTF-8), value = the tick's JSON. Every send has a callback that
 * counts the outcome ({@code tickflow_ticks_published_total} / {@code tickflow_publish_failures_total}) and logs failures,
 * rate-limited. Thread-safe (the Kafka producer is). Does not own the metrics; owns the producer.
 */
public final class TickPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TickPublisher.class);

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final IngestMetrics metrics;
    private final String source;
    private final AtomicLong failures = new AtomicLong();
    private final WarnLimiter failureWarnings = new WarnLimiter(5, TimeUnit.SECONDS);

    /**
     * @param source the {@code source} label of {@code tickflow_ticks_published_total}: {@code http}, {@code simulate}, …
     */
    public TickPublisher(final Producer<String, byte[]> producer, final String topic, final String source,
                         final IngestMetrics metrics) {
        this.producer = producer;
        this.topic = topic;
        this.source = source;
        this.metrics = metrics;
    }

    /** A publisher with its own {@link KafkaProducer} configured by {@link #producerProperties}. */
    public static TickPublisher create(final Properties kafka, final Duration publishTimeout, final String topic,
                                       final String source, final IngestMetrics metrics) {
        final KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProperties(kafka, publishTimeout),
                new StringSerializer(), new ByteArraySerializer());
        return new TickPublisher(producer, topic, source, metrics);
    }

    /**
     * Producer settings ({@link KafkaClientProperties} precedence): acks=all and idempotence forced (no loss, no
     * duplicates from retries: the 202 depends on them); by default a short linger and 64 KiB batches for throughput,
     * and every wait bounded so a send's outcome is known within {@code publishTimeout}: half of it at most blocked in
     * {@code send} (max.block.ms: metadata, buffer space), half at most waiting for the acknowledgement
     * (delivery.timeout.ms). {@code KAFKA_*} may override the defaults.
     */
    public static Properties producerProperties(final Properties kafka, final Duration publishTimeout) {
        final long timeoutMs = publishTimeout.toMillis() / 2;
        final long lingerMs = Math.min(5, timeoutMs / 10);
        return KafkaClientProperties.producer(kafka)
                .byDefault(ProducerConfig.LINGER_MS_CONFIG, lingerMs)
                .byDefault(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024)
                .byDefault(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs)
                .byDefault(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs)
                // delivery.timeout.ms must be >= linger.ms + request.timeout.ms
                .byDefault(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs - lingerMs)
                .force(ProducerConfig.ACKS_CONFIG, "all")
                .force(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")
                .build();
    }

    /** Sends one tick; the outcome is counted and failures logged. For feeds that do not wait per tick. */
    public void send(final Tick tick) {
        send(tick, null, 0);
    }

    /**
     * Sends every tick of a request; the returned batch completes when Kafka has acknowledged or failed each of them.
     */
    public Batch publish(final List<Tick> ticks) {
        final Batch batch = new Batch(ticks.size());
        for (int i = 0; i < ticks.size(); i++) {
            final Exception failed = batch.error();
            if (failed == null) {
                send(ticks.get(i), batch, i);
            } else {
                // A tick already failed (typically: no metadata within max.block.ms). Sending the rest would block
                // up to max.block.ms each and cannot make the request succeed.
                completed(failed, batch, i);
            }
        }
        return batch;
    }

    /** Blocks until every tick sent so far is acknowledged or failed. */
    public void flush() {
        producer.flush();
    }

    /** Ticks Kafka did not acknowledge since this publisher was made. */
    public long failures() {
        return failures.get();
    }

    public String topic() {
        return topic;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }

    private void send(final Tick tick, final Batch batch, final int index) {
        final ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, tick.stockId(), Json.encodeTick(tick));
        try {
            producer.send(record, (metadata, error) -> completed(error, batch, index));
        } catch (RuntimeException e) {
            // Thrown synchronously (e.g. the producer is closed): the callback will not run.
            completed(e, batch, index);
        }
    }

    private void completed(final Exception error, final Batch batch, final int index) {
        if (error == null) {
            metrics.ticksPublished.labelValues(source).inc();
        } else {
            failures.incrementAndGet();
            metrics.publishFailures.inc();
            logFailure(error);
        }
        if (batch != null) {
            batch.complete(index, error);
        }
    }

    private void logFailure(final Exception error) {
        final long suppressed = failureWarnings.tryAcquire();
        if (suppressed >= 0) {
            LOG.warn("publish failed topic={} suppressedSinceLast={} error={}", topic, suppressed, error.toString());
        }
    }

    /** The Kafka outcome of one request's ticks. */
    public static final class Batch {
        private final CountDownLatch pending;
        private final AtomicInteger acknowledged = new AtomicInteger();
        private final boolean[] failed;
        private volatile Exception firstError;

        Batch(final int size) {
            this.pending = new CountDownLatch(size);
            this.failed = new boolean[size];
        }

        /** Waits until every tick has an outcome; false if {@code timeout} passed first. */
        public boolean await(final Duration timeout) throws InterruptedException {
            return pending.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }

        /** True when every tick was acknowledged. */
        public boolean allAcknowledged() {
            return pending.getCount() == 0 && acknowledged.get() == failed.length;
        }

        public int acknowledged() {
            return acknowledged.get();
        }

        /** Whether tick {@code index} failed (meaningful after {@link #await} returned true). */
        public boolean failed(final int index) {
            return failed[index];
        }

        /** The first failure, or null. */
        public Exception error() {
            return firstError;
        }

        private void complete(final int index, final Exception error) {
            if (error == null) {
                acknowledged.incrementAndGet();
            } else {
                failed[index] = true;
                if (firstError == null) {
                    firstError = error;
                }
            }
            pending.countDown();
        }
    }
}
