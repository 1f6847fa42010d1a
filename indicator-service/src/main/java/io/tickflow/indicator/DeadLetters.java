package io.tickflow.indicator;

import io.tickflow.runtime.WarnLimiter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Publishes rejected tick records to the dead-letter topic: the original key and value bytes, the original headers,
 * and {@code tickflow.error.reason} (the message, naming the field and value), {@code tickflow.error.code} (a short
 * code, also the metric label), {@code tickflow.source.topic}, {@code tickflow.source.partition},
 * {@code tickflow.source.offset}. In exactly-once mode the send joins the open transaction. Counts by code and logs
 * at WARN at most once per second with the number of rejections suppressed since. Thread-safe.
 *
 * <p>A copy that could not be sent would fail its interval again at every redo, for ever: so the copy is bounded
 * well under any producer's request limit — a value past {@link #MAX_VALUE_BYTES} keeps its first bytes and the
 * original headers past {@link #MAX_HEADER_BYTES} are left out, and {@code tickflow.error.truncated} says what was
 * cut ({@code value=<original bytes>,headers=<left out>}); the source coordinates always lead back to the original.
 * A record parked after it kept failing its interval (code {@link PoisonRecords#SEND_FAILED}) is copied smaller still:
 * its first {@link #PARKED_VALUE_BYTES} and none of its headers, so the copy fits any topic's size limit.
 */
final class DeadLetters {
    static final String REASON = "tickflow.error.reason";
    static final String CODE = "tickflow.error.code";
    static final String SOURCE_TOPIC = "tickflow.source.topic";
    static final String SOURCE_PARTITION = "tickflow.source.partition";
    static final String SOURCE_OFFSET = "tickflow.source.offset";
    static final String TRUNCATED = "tickflow.error.truncated";
    static final int MAX_VALUE_BYTES = 256 << 10;
    static final int MAX_HEADER_BYTES = 64 << 10;
    static final int PARKED_VALUE_BYTES = 1 << 10;

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final IndicatorMetrics metrics;
    private final SendFailures failures;
    private final WarnLimiter warnings = new WarnLimiter(1, TimeUnit.SECONDS);

    DeadLetters(final Producer<byte[], byte[]> producer, final String topic, final IndicatorMetrics metrics,
                final SendFailures failures) {
        this.producer = producer;
        this.topic = topic;
        this.metrics = metrics;
        this.failures = failures;
    }

    void reject(final ConsumerRecord<byte[], byte[]> record, final String code, final String reason) {
        metrics.deadLettered.labelValues(code).inc();
        final boolean parked = PoisonRecords.SEND_FAILED.equals(code);
        final int maxValueBytes = parked ? PARKED_VALUE_BYTES : MAX_VALUE_BYTES;
        final int maxHeaderBytes = parked ? 0 : MAX_HEADER_BYTES;
        final RecordHeaders headers = new RecordHeaders();
        int headerBytes = 0;
        int headersLeftOut = 0;
        for (Header h : record.headers()) {
            headerBytes += h.key().length() + (h.value() == null ? 0 : h.value().length);
            if (headerBytes <= maxHeaderBytes) {
                headers.add(h);
            } else {
                headersLeftOut++;
            }
        }
        byte[] value = record.value();
        if ((value != null && value.length > maxValueBytes) || headersLeftOut > 0) {
            headers.add(TRUNCATED, utf8("value=" + (value == null ? 0 : value.length) + ",headers=" + headersLeftOut));
            if (value != null && value.length > maxValueBytes) {
                value = java.util.Arrays.copyOf(value, maxValueBytes);
            }
        }
        headers.add(REASON, utf8(reason));
        headers.add(CODE, utf8(code));
        headers.add(SOURCE_TOPIC, utf8(record.topic()));
        headers.add(SOURCE_PARTITION, utf8(Integer.toString(record.partition())));
        headers.add(SOURCE_OFFSET, utf8(Long.toString(record.offset())));
        producer.send(new ProducerRecord<>(topic, null, record.key(), value, headers), (meta, e) -> {
            if (e != null) {
                failures.sendFailed("dlq", e, record);
            }
        });
        warn(record, code, reason);
    }

    private void warn(final ConsumerRecord<byte[], byte[]> record, final String code, final String reason) {
        final long suppressed = warnings.tryAcquire();
        if (suppressed >= 0) {
            final String key = record.key() == null ? "<none>" : new String(record.key(), StandardCharsets.UTF_8);
            LOG.warn("tick rejected to dead-letter topic={} partition={} offset={} key={} code={} reason={} "
                    + "suppressedSinceLast={}", record.topic(), record.partition(), record.offset(),
                    key.length() > 64 ? key.substring(0, 64) + "…" : key, code, reason, suppressed);
        }
    }

    private static byte[] utf8(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
