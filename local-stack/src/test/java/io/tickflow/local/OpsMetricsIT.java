package io.tickflow.local;

import io.tickflow.model.Json;
import io.tickflow.model.Tick;
import io.tickflow.model.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.tickflow.local.IndicatorTestSupport.await;
import static io.tickflow.local.IngestTestSupport.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 8 (2): every service's {@code GET /metrics} is valid Prometheus text (read by the strict {@link PrometheusText}),
 * declares the metrics docs/ops.md lists, and its counters move with the traffic: ticks posted over HTTP (good and bad),
 * a bad record straight into Kafka, and a WebSocket client receiving the results.
 */
class OpsMetricsIT {
    private static final int PER_STOCK = 40;
    private static final List<String> STOCKS = List.of("OPS.A", "OPS.B");
    private static final int GOOD = PER_STOCK * STOCKS.size();
    private static final Instant START = Instant.parse("2024-06-02T12:00:00Z");

    @RegisterExtension
    static final LocalStackExtension STACK = new LocalStackExtension();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void shouldExposeValidMetricsThatMoveWhenTicksFlowThroughThePipeline() throws Exception {
        await("indicator and delivery ready", Duration.ofSeconds(60),
                () -> status(http, STACK.indicatorHttpPort(), "/ready") == 200
                        && status(http, STACK.deliveryHttpPort(), "/ready") == 200);

        // Before any traffic: valid text, and every unlabelled metric is declared (labelled ones appear with a label).
        assertDeclared(scrape(STACK.ingestHttpPort()), Map.of("tickflow_publish_failures_total", "counter"));
        assertDeclared(scrape(STACK.indicatorHttpPort()), Map.ofEntries(
                Map.entry("tickflow_ticks_consumed_total", "counter"), Map.entry("tickflow_results_out_total", "counter"),
                Map.entry("tickflow_ticks_out_of_order_total", "counter"),
                Map.entry("tickflow_ticks_replay_skipped_total", "counter"),
                Map.entry("tickflow_states_restored_total", "counter"),
                Map.entry("tickflow_processing_latency_seconds", "histogram"),
                Map.entry("tickflow_tick_to_result_latency_seconds", "histogram"),
                Map.entry("tickflow_commit_duration_seconds", "histogram"),
                Map.entry("tickflow_commit_pause_seconds", "histogram")));
        assertDeclared(scrape(STACK.deliveryHttpPort()), Map.ofEntries(
                Map.entry("tickflow_results_in_total", "counter"),
                Map.entry("tickflow_results_duplicate_total", "counter"),
                Map.entry("tickflow_results_rejected_total", "counter"),
                Map.entry("tickflow_tick_to_delivery_latency_seconds", "histogram"),
                Map.entry("tickflow_ws_connections", "gauge"),
                Map.entry("tickflow_ws_connections_rejected_total", "counter"),
                Map.entry("tickflow_ws_frames_out_total", "counter"),
                Map.entry("tickflow_ws_conflations_total", "counter"),
                Map.entry("tickflow_ws_slow_client_closes_total", "counter")));

        try (WsTestClient client = new WsTestClient(STACK.deliveryWsPort())) {
            client.send("{\"op\":\"subscribe\",\"id\":1,\"symbols\":[\"OPS.A\",\"OPS.B\"]}");
            client.next(f -> f.path("type").asText().equals("subscribed"), Duration.ofSeconds(10));
            await("the connection in tickflow_ws_connections", Duration.ofSeconds(10),
                    () -> scrape(STACK.deliveryHttpPort()).value("tickflow_ws_connections") == 1.0);

            // 2 good requests, 3 refused ones (price; malformed JSON; one bad volume among 2 good), 1 wrong method
            for (String stock : STOCKS) {
                assertEquals(202, post("application/x-ndjson", ndjson(stock, 0, PER_STOCK)).statusCode());
            }
            assertEquals(400, post("application/json",
                    "{\"stock_id\":\"OPS.A\",\"timestamp\":\"2024-06-02T12:00:00Z\",\"price\":-1,\"volume\":1}")
                    .statusCode());
            assertEquals(400, post("application/json", "{\"stock_id\":").statusCode());
            assertEquals(400, post("application/x-ndjson", ndjson("OPS.C", 0, 2)
                    + "\n{\"stock_id\":\"OPS.C\",\"timestamp\":\"2024-06-02T12:00:00Z\",\"price\":1,\"volume\":-5}")
                    .statusCode());
            assertEquals(405, IngestTestSupport.get(http, STACK.ingestHttpPort(), "/ticks").statusCode());
            // a record no gateway checked: the indicator dead-letters it
            try (KafkaProducer<byte[], byte[]> producer = IndicatorTestSupport.producer(STACK.bootstrapServers())) {
                IndicatorTestSupport.send(producer, Topics.TICKS, "OPS.BAD", "not json".getBytes(StandardCharsets.UTF_8));
                producer.flush();
            }

            client.results(r -> r.size() >= GOOD, Duration.ofSeconds(60));

            final PrometheusText ingest = scrape(STACK.ingestHttpPort());
            assertEquals(GOOD, ingest.value("tickflow_ticks_published_total", "source", "http"));
            assertEquals(1.0, ingest.value("tickflow_ticks_rejected_total", "reason", "price"));
            assertEquals(1.0, ingest.value("tickflow_ticks_rejected_total", "reason", "malformed"));
            assertEquals(1.0, ingest.value("tickflow_ticks_rejected_total", "reason", "volume"));
            assertEquals(2.0, ingest.value("tickflow_ticks_rejected_total", "reason", "batch"));
            assertEquals(0.0, ingest.value("tickflow_publish_failures_total"));
            assertEquals(2.0, ingest.value("http_responses_total", "route", "/ticks", "status", "202"));
            assertEquals(3.0, ingest.value("http_responses_total", "route", "/ticks", "status", "400"));
            assertEquals(1.0, ingest.value("http_responses_total", "route", "/ticks", "status", "405"));
            assertEquals(2.0, ingest.value("tickflow_ingest_request_latency_seconds_count", "status", "202"));
            assertEquals(3.0, ingest.value("tickflow_ingest_request_latency_seconds_count", "status", "400"));

            await("the indicator's counters to settle", Duration.ofSeconds(20), () -> {
                final PrometheusText indicator = scrape(STACK.indicatorHttpPort());
                return indicator.value("tickflow_results_out_total") == GOOD
                        && indicator.sum("tickflow_ticks_dead_lettered_total") == 1.0
                        && indicator.samples("tickflow_consumer_lag").size() == 4;
            });
            final PrometheusText indicator = scrape(STACK.indicatorHttpPort());
            assertEquals(GOOD + 1, indicator.value("tickflow_ticks_consumed_total"), "ticks consumed, the bad one included");
            assertEquals(GOOD, indicator.value("tickflow_results_out_total"));
            assertEquals(GOOD, indicator.value("tickflow_processing_latency_seconds_count"));
            assertEquals(GOOD, indicator.value("tickflow_tick_to_result_latency_seconds_count"));
            assertTrue(indicator.value("tickflow_commits_total", "outcome", "committed") >= 1,
                    "commits: " + indicator.samples("tickflow_commits_total"));
            assertEquals(Set.of("0", "1", "2", "3"), indicator.samples("tickflow_consumer_lag").stream()
                    .map(s -> s.labels().get("partition")).collect(Collectors.toSet()), "a lag series per partition");
            assertTrue(indicator.samples("tickflow_consumer_lag").stream().allMatch(s -> s.value() >= 0));

            final PrometheusText delivery = scrape(STACK.deliveryHttpPort());
            assertEquals(GOOD, delivery.value("tickflow_results_in_total"));
            assertEquals(GOOD, delivery.value("tickflow_tick_to_delivery_latency_seconds_count"));
            assertTrue(delivery.value("tickflow_tick_to_delivery_latency_seconds_sum") > 0);
            assertEquals(1.0, delivery.value("tickflow_ws_connections"));
            assertTrue(delivery.value("tickflow_ws_frames_out_total") >= 2, "snapshot/ack and updates were sent");
            assertEquals(0.0, delivery.value("tickflow_ws_slow_client_closes_total"));
            assertOneMeaningPerName(ingest, indicator, delivery);
        }
        await("the closed connection leaves tickflow_ws_connections", Duration.ofSeconds(10),
                () -> scrape(STACK.deliveryHttpPort()).value("tickflow_ws_connections") == 0.0);
    }

    /**
     * A metric name means one thing: no family is served by two services, but the shared HTTP server's and the JVM's
     * own ({@code jvm_*}, {@code process_*}: the same meaning in every process).
     */
    private static void assertOneMeaningPerName(final PrometheusText... services) {
        final Map<String, Integer> servedBy = new java.util.HashMap<>();
        for (PrometheusText service : services) {
            service.families().keySet().forEach(family -> servedBy.merge(family, 1, Integer::sum));
        }
        servedBy.remove("http_responses_total");
        servedBy.keySet().removeIf(family -> family.startsWith("jvm_") || family.startsWith("process_"));
        assertEquals(Map.of(), servedBy.entrySet().stream().filter(e -> e.getValue() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), "families served by two services");
    }

    private static void assertDeclared(final PrometheusText text, final Map<String, String> typeByFamily) {
        typeByFamily.forEach((family, type) -> {
            final PrometheusText.Family declared = text.families().get(family);
            assertTrue(declared != null, family + " is not in the scrape: " + text.families().keySet());
            assertEquals(type, declared.type(), family + " type");
            assertTrue(!declared.help().isBlank(), family + " has no HELP");
        });
    }

    private PrometheusText scrape(final int port) {
        try {
            final HttpResponse<String> r = IngestTestSupport.get(http, port, "/metrics");
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                    "content type " + r.headers().firstValue("Content-Type"));
            return PrometheusText.parse(r.body());
        } catch (Exception e) {
            throw new AssertionError("scraping :" + port + "/metrics failed", e);
        }
    }


    private HttpResponse<String> post(final String contentType, final String body) throws Exception {
        return IngestTestSupport.post(http, STACK.ingestHttpPort(), contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private static String ndjson(final String stock, final int from, final int to) {
        return IntStream.range(from, to)
                .mapToObj(i -> new String(Json.encodeTick(Tick.of(stock, START.plusSeconds(i), 100 + i, 10)),
                        StandardCharsets.UTF_8))
                .collect(Collectors.joining("\n"));
    }
}
