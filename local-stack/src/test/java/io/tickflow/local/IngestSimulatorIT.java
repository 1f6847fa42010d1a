package io.tickflow.local;

import io.tickflow.ingest.Simulator;
import io.tickflow.ingest.SimulatorOptions;
import io.tickflow.model.Json;
import io.tickflow.model.Tick;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulator publishing to the real broker: the requested rate within 5 %, the same ticks for the same seed. */
class IngestSimulatorIT {
    private static final SimulatorOptions OPTIONS = new SimulatorOptions(200, 20_000, 42, 0L, Duration.ofSeconds(3),
            Instant.parse("2024-06-03T13:30:00Z"));

    /** Runs the simulator into a new topic; returns the records by stock id, in publish order per stock. */
    private static Map<String, List<byte[]>> simulate(final List<Double> achievedRates) throws Exception {
        final String topic = KafkaFixture.uniqueTopic("ingest-sim");
        KafkaFixture.createTopics(KafkaFixture.bootstrapServers(), Map.of(topic, 4));
        final Properties kafka = new Properties();
        kafka.put("bootstrap.servers", KafkaFixture.bootstrapServers());
        // KAFKA-14359: on a brand-new topic the broker has no producer state, so if the first batch fails retriably
        // while the next one lands, the first is retried with OUT_OF_ORDER_SEQUENCE until the producer is closed and
        // two ticks are lost (seen once in CI). One request in flight rules that ordering out; the count stays exact.
        kafka.put("max.in.flight.requests.per.connection", "1");
        try (Simulator simulator = Simulator.publishing(OPTIONS, kafka, topic).start()) {
            assertTrue(simulator.awaitFinished(Duration.ofSeconds(60)));
            assertEquals(60_000, simulator.sent());
            achievedRates.add(simulator.achievedRate());
        } // close flushes: every tick is acknowledged or failed
        final Map<String, List<byte[]>> byStock = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> r : IngestTestSupport.readAll(KafkaFixture.bootstrapServers(), topic)) {
            byStock.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
        }
        return byStock;
    }

    @Test
    void shouldAchieveRateAndPublishTheSameTicksWhenRunTwiceWithOneSeed() throws Exception {
        final List<Double> rates = new ArrayList<>();
        final Map<String, List<byte[]>> first = simulate(rates);
        final Map<String, List<byte[]>> second = simulate(rates);

        for (double rate : rates) {
            assertTrue(Math.abs(rate - 20_000) <= 20_000 * 0.05, "achieved " + rate + " ticks/s");
        }
        assertEquals(200, first.size());
        assertEquals(60_000, first.values().stream().mapToInt(List::size).sum());
        assertEquals(first.keySet(), second.keySet());
        for (String stock : first.keySet()) {
            final List<byte[]> a = first.get(stock);
            final List<byte[]> b = second.get(stock);
            assertEquals(a.size(), b.size(), stock);
            for (int i = 0; i < a.size(); i++) {
                assertTrue(Arrays.equals(a.get(i), b.get(i)), stock + " #" + i);
            }
            Instant last = Instant.MIN;
            for (byte[] value : a) {
                final Tick tick = Json.decodeTick(value);
                assertEquals(stock, tick.stockId());
                assertTrue(tick.timestamp().isAfter(last), "monotonic per stock");
                last = tick.timestamp();
            }
        }
    }
}
