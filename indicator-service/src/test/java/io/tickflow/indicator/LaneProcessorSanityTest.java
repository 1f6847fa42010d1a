package io.tickflow.indicator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tickflow.indicator.ta.EngineSpec;
import io.tickflow.model.Json;
import io.tickflow.model.Tick;
import io.tickflow.model.TickSanity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** The sanity rule at the record boundary: what reaches the engine, what goes to the dead-letter topic and why. */
class LaneProcessorSanityTest {
    private static final Instant T0 = Instant.parse("2024-06-02T12:00:00Z");
    private static final TickSanity RULE = new TickSanity(1e7, 3.0, 2, Duration.ofMinutes(1));

    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final IndicatorMetrics metrics = new IndicatorMetrics(new PrometheusRegistry());
    private final SendFailures failures = new SendFailures(metrics.sendFailures);
    private final LaneProcessor lane = new LaneProcessor(EngineSpec.parse("sma:2"), RULE, "results", producer,
            new DeadLetters(producer, "dlq", metrics, failures), new StateStore("state", null, null, true), metrics,
            () -> 0L, System::nanoTime, failures, java.util.Optional.empty(), "bars", StockLimits.NONE);
    private final TickGate gate = new TickGate(RULE);
    private long offset;

    private void feed(final double price, final Instant timestamp, final long recordTimestampMillis) {
        final byte[] key = "AAPL".getBytes(StandardCharsets.UTF_8);
        final byte[] value = Json.encodeTick(Tick.of("AAPL", timestamp, price, 1));
        lane.handle(gate.admit(new ConsumerRecord<>("ticks", 0, offset++, recordTimestampMillis,
                TimestampType.CREATE_TIME, key.length, value.length, key, value, new RecordHeaders(),
                Optional.empty()), 0L, new StreamTimes()));
    }

    private void feed(final double price) {
        feed(price, T0.plusSeconds(offset), T0.plusSeconds(offset).toEpochMilli());
    }

    private List<String> sent(final String topic) {
        final List<String> out = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> r : producer.history()) {
            if (!r.topic().equals(topic)) continue;
            out.add(topic.equals("dlq")
                    ? new String(r.headers().lastHeader(DeadLetters.CODE).value(), StandardCharsets.UTF_8)
                    : readTree(r.value()).get("price").asDouble() + "");
        }
        return out;
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(final byte[] json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void shouldSendOutOfRangeJumpAndFutureTicksToTheDeadLetterTopicWithTheirReason() {
        feed(100);
        feed(1e12);
        feed(1e6);
        feed(101, T0.plusSeconds(3600), T0.toEpochMilli());
        feed(102);

        assertEquals(List.of(TickSanity.PRICE_OUT_OF_RANGE, TickSanity.PRICE_JUMP, TickSanity.TIMESTAMP_AHEAD),
                sent("dlq"));
        assertEquals(List.of("100.0", "102.0"), sent("results"));
        failures.throwIfAny();
    }

    @Test
    void shouldCarryTheJumpCountInTheStateRecordSoARestoredStockDecidesTheSame() {
        feed(100);
        feed(2000);
        lane.writeState();
        final ProducerRecord<byte[], byte[]> state = producer.history().stream()
                .filter(r -> r.topic().equals("state")).reduce((a, b) -> b).orElseThrow();
        final StateStore.Saved saved = StateStore.decode(state.key(), state.value());

        assertEquals(100, saved.lastPrice());
        assertEquals(2000, saved.pendingPrice());
        assertEquals(1, saved.pendingTicks());
        assertEquals(1, saved.sourceOffset(), "a refused jump is behind the replay boundary: not counted twice");
    }
}
