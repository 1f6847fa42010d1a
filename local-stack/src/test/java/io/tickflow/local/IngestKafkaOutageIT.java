package io.tickflow.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickflow.ingest.IngestConfig;
import io.tickflow.ingest.IngestMain;
import io.tickflow.model.Json;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Exit;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kafka goes away and comes back under a running gateway: 503 + Retry-After within the publish timeout, never a 202
 * for an unwritten tick, and afterwards the topic holds exactly the accepted ticks. Uses its own broker, so the
 * shared one of the other tests stays up.
 */
class IngestKafkaOutageIT {
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(2);
    /** The gateway waits the publish timeout plus a 0.5 s margin; allow scheduling slack on a busy machine. */
    private static final Duration BOUND = PUBLISH_TIMEOUT.plusSeconds(2);

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<String> accepted = new ArrayList<>();
    private int port;

    private HttpResponse<String> post(final String... stockIds) throws Exception {
        final StringBuilder ndjson = new StringBuilder();
        for (String id : stockIds) {
            ndjson.append("{\"stock_id\":\"").append(id)
                    .append("\",\"timestamp\":\"2024-06-02T12:34:56Z\",\"price\":1.5,\"volume\":10}\n");
        }
        final HttpResponse<String> r = IngestTestSupport.post(client, port, "application/x-ndjson",
                ndjson.toString().getBytes(StandardCharsets.UTF_8));
        if (r.statusCode() == 202) {
            accepted.addAll(List.of(stockIds));
        }
        return r;
    }

    @Test
    void shouldAnswer503WithinBoundWhenKafkaDownAndAcceptExactlyOnceWhenBack() throws Exception {
        Exit.setHaltProcedure((status, message) -> {
            throw new IllegalStateException("Kafka broker tried to halt the JVM: " + status + " " + message);
        });
        try (EmbeddedKafka kafka = EmbeddedKafka.startTemporary()) {
            final String topic = KafkaFixture.uniqueTopic("ingest-outage");
            kafka.createTopics(Map.of(topic, 2), Map.of());
            try (IngestMain ingest = IngestMain.start(IngestConfig.fromEnv(Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                    "TICKS_TOPIC", topic,
                    "HTTP_HOST", "127.0.0.1",
                    "HTTP_PORT", "0",
                    "INGEST_PUBLISH_TIMEOUT", PUBLISH_TIMEOUT.toMillis() + "ms",
                    "INGEST_RETRY_AFTER", "1s")))) {
                port = ingest.httpPort();
                assertEquals(202, post("UP0", "UP1").statusCode());

                kafka.stop();
                for (String[] batch : new String[][]{{"DOWN0"}, {"DOWN1", "DOWN2", "DOWN3"}}) {
                    final long began = System.nanoTime();
                    final HttpResponse<String> r = post(batch);
                    final Duration took = Duration.ofNanos(System.nanoTime() - began);
                    assertEquals(503, r.statusCode(), r.body());
                    assertEquals("1", r.headers().firstValue("Retry-After").orElse(""));
                    assertEquals(0, Json.MAPPER.readTree(r.body()).get("published").asInt(), r.body());
                    assertTrue(took.compareTo(BOUND) < 0, "503 took " + took);
                }
                assertTrue(IngestTestSupport.await(Duration.ofSeconds(15), () -> status(port, "/ready") == 503),
                        "/ready turns false while Kafka is down");

                kafka.start();
                int attempt = 0;
                final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                int status;
                do {
                    status = post("BACK" + attempt, "BACK" + attempt + "B").statusCode();
                    assertTrue(status == 202 || status == 503, "status " + status);
                    attempt++;
                } while (status != 202 && System.nanoTime() < deadline);
                assertEquals(202, status, "accepted again once Kafka is back");
                assertTrue(IngestTestSupport.await(Duration.ofSeconds(15), () -> status(port, "/ready") == 200));
            }
            final List<String> inTopic = IngestTestSupport.readAll(kafka.bootstrapServers(), topic).stream()
                    .map(ConsumerRecord::key).sorted().toList();
            assertEquals(accepted.stream().sorted().toList(), inTopic, "the topic holds exactly the accepted ticks");
        } finally {
            Exit.resetHaltProcedure();
        }
    }

    private int status(final int httpPort, final String path) {
        try {
            final HttpResponse<String> r = IngestTestSupport.get(client, httpPort, path);
            final JsonNode body = Json.MAPPER.readTree(r.body());
            return body.has("status") ? r.statusCode() : -1;
        } catch (Exception e) {
            return -1;
        }
    }
}
