package io.tickflow.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickflow.delivery.DeliveryConfig;
import io.tickflow.delivery.DeliveryMain;
import io.tickflow.model.Json;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bars against a real broker, written straight to an {@code indicator_bars} topic per the contract (the indicator
 * side is built elsewhere): bars written before start are warmed, later ones followed live over WebSocket and REST;
 * a redelivered final bar and a stale forming bar reach no client; a malformed record is skipped.
 */
class DeliveryBarsIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Instant T0 = Instant.parse("2024-06-02T12:00:00Z");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void shouldWarmFollowLiveAndDeduplicateBarsWhenReadFromKafka() throws Exception {
        final String bootstrap = KafkaFixture.bootstrapServers();
        final String results = KafkaFixture.uniqueTopic("bars-results");
        final String bars = KafkaFixture.uniqueTopic("indicator_bars");
        KafkaFixture.createTopics(bootstrap, Map.of(results, 1, bars, 2));
        try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            for (int m = 0; m < 10; m++) {
                send(producer, bars, TestBarRecords.bar("AAPL", T0, m, m + 1, true, 10));
            }
            send(producer, bars, "{not json".getBytes(StandardCharsets.UTF_8));
            send(producer, bars, TestBarRecords.bar("AAPL", T0, 10, 0, false, 2));
            producer.flush();

            try (DeliveryMain delivery = DeliveryMain.start(DeliveryConfig.fromEnv(Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", bootstrap, "RESULTS_TOPIC", results, "BARS_TOPIC", bars,
                    "HTTP_HOST", "127.0.0.1", "HTTP_PORT", "0", "WS_HOST", "127.0.0.1", "WS_PORT", "0",
                    "WS_BATCH_MAX", "1")));
                 WsTestClient client = new WsTestClient(delivery.wsPort())) {
                await(() -> {
                    final var got = delivery.bars().bars("AAPL", "1m", 100, Long.MAX_VALUE, Long.MAX_VALUE);
                    return got != null && got.size() == 11;
                });
                client.send("{\"op\":\"subscribe\",\"id\":1,\"symbols\":[\"AAPL\"],\"bars\":\"1m\",\"limit\":5}");
                final JsonNode ack = client.next(f -> "subscribed".equals(f.path("type").asText()), WAIT);
                assertEquals("[\"AAPL\"]", ack.path("bars").path("1m").toString());
                final JsonNode snapshot = client.next(f -> "bars".equals(f.path("type").asText()), WAIT);
                assertEquals(6, snapshot.path("data").size(), "5 final bars and the forming one");
                assertEquals(6, snapshot.path("data").get(0).path("seq").asLong());
                assertFalse(snapshot.path("data").get(5).path("final").asBoolean());

                send(producer, bars, TestBarRecords.bar("AAPL", T0, 10, 0, false, 1)); // stale: fewer trades
                send(producer, bars, TestBarRecords.bar("AAPL", T0, 10, 0, false, 5));
                send(producer, bars, TestBarRecords.bar("AAPL", T0, 10, 11, true, 6));
                send(producer, bars, TestBarRecords.bar("AAPL", T0, 10, 11, true, 6)); // a redo: duplicate
                send(producer, bars, TestBarRecords.bar("AAPL", T0, 11, 0, false, 1));
                producer.flush();
                JsonNode m = client.next(f -> "bar".equals(f.path("type").asText()), WAIT);
                assertEquals(5, m.path("data").path("trades").asInt(), "the stale forming bar was not sent");
                m = client.next(f -> "bar".equals(f.path("type").asText()), WAIT);
                assertTrue(m.path("data").path("final").asBoolean());
                assertEquals(11, m.path("data").path("seq").asLong());
                m = client.next(f -> "bar".equals(f.path("type").asText()), WAIT);
                assertFalse(m.path("data").path("final").asBoolean(), "the duplicate final was not sent: " + m);
                assertEquals(T0.plusSeconds(660).toString(), m.path("data").path("start").asText());

                final HttpResponse<String> rest = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + delivery.httpPort() + "/api/bars/AAPL?interval=1m&limit=3")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, rest.statusCode());
                final JsonNode page = Json.MAPPER.readTree(rest.body());
                assertEquals(4, page.size());
                assertEquals(9, page.get(0).path("seq").asLong());
                assertEquals(11, page.get(2).path("seq").asLong());
                assertFalse(page.get(3).path("final").asBoolean());
                final JsonNode older = Json.MAPPER.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + delivery.httpPort() + "/api/bars/AAPL?limit=2&before=9")).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                assertEquals(2, older.size());
                assertEquals(7, older.get(0).path("seq").asLong());
                final String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + delivery.httpPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
                assertTrue(metrics.contains("tickflow_bars_rejected_total{reason=\"json\"} 1"), metrics);
                assertTrue(metrics.contains("tickflow_bars_duplicate_total 1"), metrics);
            }
        }
    }

    private static KafkaProducer<String, byte[]> producer(final String bootstrap) {
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    /** Keyed by stock: every record of AAPL lands on one partition, in order. */
    private static void send(final KafkaProducer<String, byte[]> producer, final String topic, final byte[] value) {
        producer.send(new ProducerRecord<>(topic, "AAPL", value));
    }

    private static void await(final BooleanSupplier condition) throws InterruptedException {
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met within " + WAIT);
            Thread.sleep(50);
        }
    }
}
