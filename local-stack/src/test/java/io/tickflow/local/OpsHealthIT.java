package io.tickflow.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickflow.delivery.DeliveryConfig;
import io.tickflow.delivery.DeliveryMain;
import io.tickflow.indicator.IndicatorConfig;
import io.tickflow.indicator.IndicatorMain;
import io.tickflow.ingest.IngestConfig;
import io.tickflow.ingest.IngestMain;
import io.tickflow.model.Json;
import org.apache.kafka.common.utils.Exit;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static io.tickflow.local.IndicatorTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 8 (3): {@code /health} answers 200 whenever the process runs; {@code /ready} answers 200 only when every check
 * of the service holds and 503 naming the failing check otherwise. The three services start while their (own) broker
 * is down, become ready once it is up, and ingest turns unready again when it goes away.
 */
class OpsHealthIT {
    private static final Duration READY_WITHIN = Duration.ofSeconds(60);
    private static final Duration OUTAGE = Duration.ofSeconds(12);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void shouldNameTheFailingCheckWhenKafkaIsDownAndAnswerReadyWhenItIsUp() throws Exception {
        Exit.setHaltProcedure((status, message) -> {
            throw new IllegalStateException("Kafka broker tried to halt the JVM: " + status + " " + message);
        });
        try (EmbeddedKafka kafka = EmbeddedKafka.startTemporary()) {
            final String ticks = KafkaFixture.uniqueTopic("ops-health");
            kafka.createTopics(Map.of(ticks, 2, ticks + "-results", 2, ticks + ".dlq", 1), Map.of());
            kafka.createTopics(Map.of(ticks + "-state", 2), Map.of("cleanup.policy", "compact"));
            kafka.stop();

            final Map<String, String> env = IndicatorTestSupport.env(kafka.bootstrapServers(), ticks, "ops-health");
            env.put("CREATE_TOPICS", "false"); // would need the broker at start
            env.put("WS_HOST", "127.0.0.1");
            env.put("WS_PORT", "0");
            try (IngestMain ingest = IngestMain.start(IngestConfig.fromEnv(env))) {
                final int ingestPort = ingest.httpPort();
                try (IndicatorMain indicator = IndicatorMain.start(IndicatorConfig.fromEnv(env));
                     DeliveryMain delivery = DeliveryMain.start(DeliveryConfig.fromEnv(env))) {
                    final Map<String, Integer> ports = Map.of("ingest", ingestPort,
                            "indicator", indicator.httpPort(), "delivery", delivery.httpPort());
                    final Map<String, String> failingCheck = Map.of("ingest", "kafka",
                            "indicator", "partitions_assigned_and_state_restored", "delivery", "history_warm");

                    for (Map.Entry<String, Integer> service : ports.entrySet()) {
                        assertHealthy(service.getKey(), service.getValue());
                        final String check = failingCheck.get(service.getKey());
                        await(service.getKey() + " /ready 503 naming " + check, Duration.ofSeconds(15),
                                () -> notReadyBecause(service.getValue(), check));
                    }

                    // An outage longer than a client's metadata timeout (delivery's feed waits 10 s for partitions):
                    // the services must ride it out, not give up. This is the outage's length, not a wait.
                    Thread.sleep(OUTAGE.toMillis());
                    kafka.start();
                    for (Map.Entry<String, Integer> service : ports.entrySet()) {
                        await(service.getKey() + " /ready 200 with every check true", READY_WITHIN,
                                () -> ready(service.getValue()));
                        assertHealthy(service.getKey(), service.getValue());
                    }
                }
                kafka.stop();
                await("ingest /ready 503 naming kafka", Duration.ofSeconds(15), () -> notReadyBecause(ingestPort, "kafka"));
                assertHealthy("ingest", ingestPort);
            }
        }
    }

    private void assertHealthy(final String service, final int port) throws Exception {
        final HttpResponse<String> r = IngestTestSupport.get(http, port, "/health");
        assertEquals(200, r.statusCode(), service + " /health");
        assertEquals("UP", Json.MAPPER.readTree(r.body()).path("status").asText(), service + " /health " + r.body());
    }

    /** 200, READY, and every check listed true. */
    private boolean ready(final int port) {
        final JsonNode body = readyBody(port, 200);
        if (body == null || !body.path("status").asText().equals("READY") || body.path("checks").isEmpty()) {
            return false;
        }
        for (JsonNode check : body.path("checks")) {
            if (!check.asBoolean()) {
                return false;
            }
        }
        return true;
    }

    /** 503, NOT_READY, and {@code check} listed false. */
    private boolean notReadyBecause(final int port, final String check) {
        final JsonNode body = readyBody(port, 503);
        return body != null && body.path("status").asText().equals("NOT_READY")
                && body.path("checks").path(check).isBoolean() && !body.path("checks").path(check).asBoolean();
    }

    private JsonNode readyBody(final int port, final int status) {
        try {
            final HttpResponse<String> r = IngestTestSupport.get(http, port, "/ready");
            return r.statusCode() == status ? Json.MAPPER.readTree(r.body()) : null;
        } catch (Exception e) {
            return null;
        }
    }
}
