package io.tickflow.indicator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tickflow.indicator.ta.EngineSpec;
import io.tickflow.model.Json;
import io.tickflow.model.Tick;
import io.tickflow.model.TickSanity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** A lane's bound on stocks: new ones past it go to the DLQ, idle ones are forgotten with a state tombstone. */
class LaneProcessorStockLimitTest {
    private static final Instant T0 = Instant.parse("2024-06-02T12:00:00Z");
    private static final long IDLE = Duration.ofHours(1).toNanos();

    private final AtomicLong nanos = new AtomicLong();
    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final IndicatorMetrics metrics = new IndicatorMetrics(new PrometheusRegistry());
    private final SendFailures failures = new SendFailures(metrics.sendFailures);
    private final LaneProcessor lane = new LaneProcessor(EngineSpec.parse("sma:2"), TickSanity.DEFAULT, "results",
            producer, new DeadLetters(producer, "dlq", metrics, failures), new StateStore("state", null, null, true),
            metrics, () -> 0L, nanos::get, failures, Optional.empty(), "bars", new StockLimits(2, IDLE));
    private final TickGate gate = new TickGate(TickSanity.DEFAULT);
    private long offset;

    private void feed(final String stock) {
        final byte[] key = stock.getBytes(StandardCharsets.UTF_8);
        final byte[] value = Json.encodeTick(Tick.of(stock, T0.plusSeconds(offset), 100, 1));
        lane.handle(gate.admit(new ConsumerRecord<>("ticks", 0, offset++, T0.plusSeconds(offset).toEpochMilli(),
                TimestampType.CREATE_TIME, key.length, value.length, key, value, new RecordHeaders(),
                Optional.empty()), 0L, new StreamTimes()));
    }

    private List<ProducerRecord<byte[], byte[]>> sent(final String topic) {
        return producer.history().stream().filter(r -> r.topic().equals(topic)).toList();
    }

    @Test
    void shouldSendANewStockPastTheLimitToTheDeadLetterTopicAndAdmitItOnceAnIdleOneIsForgotten() {
        feed("A");
        feed("B");
        feed("C");
        assertEquals(1, sent("dlq").size());
        assertEquals("stock_limit", new String(sent("dlq").get(0).headers().lastHeader(DeadLetters.CODE).value(),
                StandardCharsets.UTF_8));
        lane.writeState();

        nanos.addAndGet(Duration.ofMinutes(30).toNanos());
        feed("B"); // B stays active
        nanos.addAndGet(Duration.ofMinutes(40).toNanos()); // A idle for 70 min, B for 40
        lane.writeState();
        final List<ProducerRecord<byte[], byte[]>> state = sent("state");
        final List<ProducerRecord<byte[], byte[]>> tombstones = state.subList(state.size() - 2, state.size());
        assertEquals(List.of("A", "A#bars"), tombstones.stream()
                .map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList(), "its bar engines' key too, if any");
        tombstones.forEach(t -> assertNull(t.value(), "A's tombstones shrink the changelog"));
        assertEquals(1.0, metrics.stocksEvicted.get());

        feed("C");
        assertEquals(1, sent("dlq").size(), "C takes A's place");
        assertEquals(List.of("A", "B", "B", "C"), sent("results").stream()
                .map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList());
        failures.throwIfAny();
    }
}
