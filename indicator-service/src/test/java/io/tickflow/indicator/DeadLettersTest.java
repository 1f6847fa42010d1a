package io.tickflow.indicator;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DeadLettersTest {

    @Test
    void shouldKeepOriginalBytesAndAddReasonAndSourceHeadersWhenRejecting() {
        final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        final IndicatorMetrics metrics = new IndicatorMetrics(new PrometheusRegistry());
        final SendFailures failures = new SendFailures(metrics.sendFailures);
        final DeadLetters dlq = new DeadLetters(producer, "stock_data.dlq", metrics, failures);
        final byte[] key = "AAPL".getBytes(StandardCharsets.UTF_8);
        final byte[] value = {'{', (byte) 0xFF, '}'};
        final RecordHeaders original = new RecordHeaders();
        original.add("trace", "t-1".getBytes(StandardCharsets.UTF_8));
        dlq.reject(new ConsumerRecord<>("stock_data", 3, 42L, 0L, TimestampType.CREATE_TIME, 3, 3, key, value,
                original, Optional.empty()), "malformed", "malformed JSON: invalid UTF-8");

        assertEquals(1, producer.history().size());
        final ProducerRecord<byte[], byte[]> sent = producer.history().get(0);
        assertEquals("stock_data.dlq", sent.topic());
        assertArrayEquals(key, sent.key());
        assertArrayEquals(value, sent.value());
        assertEquals("t-1", header(sent, "trace"));
        assertEquals("malformed JSON: invalid UTF-8", header(sent, DeadLetters.REASON));
        assertEquals("malformed", header(sent, DeadLetters.CODE));
        assertEquals("stock_data", header(sent, DeadLetters.SOURCE_TOPIC));
        assertEquals("3", header(sent, DeadLetters.SOURCE_PARTITION));
        assertEquals("42", header(sent, DeadLetters.SOURCE_OFFSET));
        assertEquals(1.0, metrics.deadLettered.labelValues("malformed").get());
        assertDoesNotThrow(failures::throwIfAny);
    }

    @Test
    void shouldReportTheFailureWhenTheDeadLetterSendFails() {
        final MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        final IndicatorMetrics metrics = new IndicatorMetrics(new PrometheusRegistry());
        final SendFailures failures = new SendFailures(metrics.sendFailures);
        final DeadLetters dlq = new DeadLetters(producer, "d", metrics, failures);
        dlq.reject(new ConsumerRecord<>("t", 0, 1L, null, new byte[]{1}), "no_key", "record has no key");
        producer.errorNext(new RuntimeException("broker down"));
        assertEquals("broker down", assertThrows(KafkaException.class, failures::throwIfAny).getCause().getMessage());
        assertEquals(1.0, metrics.sendFailures.labelValues("dlq").get());
        assertNull(producer.history().get(0).key());
    }

    @Test
    void shouldSendABoundedCopyWhenTheRecordIsTooLargeToCopySoTheIntervalCannotFailForEver() {
        final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        final IndicatorMetrics metrics = new IndicatorMetrics(new PrometheusRegistry());
        final DeadLetters dlq = new DeadLetters(producer, "d", metrics, new SendFailures(metrics.sendFailures));
        final byte[] huge = new byte[3 << 20];
        final RecordHeaders many = new RecordHeaders();
        for (int i = 0; i < 100; i++) {
            many.add("h" + i, new byte[1_000]);
        }
        dlq.reject(new ConsumerRecord<>("t", 2, 9L, 0L, TimestampType.CREATE_TIME, 4, huge.length,
                "AAPL".getBytes(StandardCharsets.UTF_8), huge, many, Optional.empty()), "malformed", "not JSON");

        final ProducerRecord<byte[], byte[]> sent = producer.history().get(0);
        assertEquals(DeadLetters.MAX_VALUE_BYTES, sent.value().length);
        assertTrue(header(sent, DeadLetters.TRUNCATED).startsWith("value=" + huge.length + ",headers="),
                header(sent, DeadLetters.TRUNCATED));
        assertEquals("9", header(sent, DeadLetters.SOURCE_OFFSET), "the source coordinates lead to the original");
        assertEquals("not JSON", header(sent, DeadLetters.REASON));
    }

    private static String header(final ProducerRecord<byte[], byte[]> record, final String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
