package io.tickflow.local;

import io.tickflow.model.Json;
import io.tickflow.model.Tick;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.tickflow.local.IndicatorTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15 (1): far more distinct stock ids than the services' caps, posted to Kafka and to the gateway — the heap
 * levels off, the excess is refused with its reason, and the services keep answering.
 */
class BoundedMemoryIT {
    private static final Logger LOG = LoggerFactory.getLogger(BoundedMemoryIT.class);
    private static final int CAP = 1_000;
    private static final int ROUND = 10_000;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void shouldLevelOffAndKeepAnsweringWhenFarMoreStocksArriveThanTheCaps() throws Exception {
        try (LocalStack stack = LocalStack.start(LocalStackOptions.forTests(Map.of(
                "MAX_STOCKS", Integer.toString(CAP), "HISTORY_MAX_STOCKS", Integer.toString(CAP / 2),
                "INGEST_MAX_STOCKS", Integer.toString(CAP), "BARS", "1m")));
             KafkaProducer<byte[], byte[]> producer = IndicatorTestSupport.producer(stack.bootstrapServers())) {
            final Instant t0 = Instant.now();
            final long[] heap = new long[3];
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < ROUND; i++) {
                    final String stock = "R" + round + "S" + i; // every one a new id
                    producer.send(new ProducerRecord<>("stock_data", stock.getBytes(StandardCharsets.UTF_8),
                            Json.encodeTick(Tick.of(stock, t0, 100.0 + i % 7, 10))));
                }
                producer.flush();
                final double expected = (double) (round + 1) * ROUND - CAP;
                await("round " + round + " dead-lettered past the cap", Duration.ofSeconds(90),
                        () -> metric(stack.indicatorHttpPort(), "tickflow_ticks_dead_lettered_total", "reason",
                                "stock_limit") >= expected);
                heap[round] = usedHeapAfterGc();
                LOG.info("bounded memory: {} distinct ids sent, used heap after GC {} MB", (round + 1) * ROUND,
                        heap[round] >> 20);
            }
            final long growth = heap[2] - heap[0];
            LOG.info("bounded memory: heap growth from {} to {} ids: {} KB ({} B per extra id)", ROUND, 3 * ROUND,
                    growth >> 10, growth / (2 * ROUND));
            // unbounded, each stock cost ~5.8 KB across the services: 20,000 more would be ~116 MB
            assertTrue(growth < 40L << 20, "heap grew " + (growth >> 20) + " MB for 20,000 refused ids");
            assertTrue(metric(stack.deliveryHttpPort(), "tickflow_results_dropped_total", "reason", "stock_limit") > 0,
                    "delivery dropped the results of stocks past its own cap");

            final StringBuilder body = new StringBuilder();
            for (int i = 0; i < CAP + 10; i++) {
                body.append(Json.MAPPER.writeValueAsString(Map.of("stock_id", "G" + i, "timestamp", t0.toString(),
                        "price", 100, "volume", 1))).append('\n');
            }
            final HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + stack.ingestHttpPort() + "/ticks"))
                    .header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, refused.statusCode());
            assertTrue(refused.body().contains("INGEST_MAX_STOCKS"), refused.body());
            for (int port : new int[] {stack.ingestHttpPort(), stack.indicatorHttpPort(), stack.deliveryHttpPort()}) {
                assertEquals(200, get(port, "/health").statusCode(), "port " + port + " answers");
            }
        }
    }

    private static long usedHeapAfterGc() {
        final Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static double metric(final int port, final String name, final String... labels) {
        try {
            final HttpResponse<String> r = get(port, "/metrics");
            return PrometheusText.parse(r.body()).sum(name, labels);
        } catch (Exception e) {
            return -1;
        }
    }

    private static HttpResponse<String> get(final int port, final String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
