package io.tickflow.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickflow.model.Json;
import io.tickflow.refdata.RefData;
import io.tickflow.model.Tick;
import io.tickflow.model.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The walking skeleton's promise, through real parts: ticks posted over HTTP and ticks produced straight to
 * {@code stock_data} with a plain KafkaProducer both come out of the delivery service's WebSocket, in seq order,
 * with TA-Lib's values for the golden AAPL series.
 */
class PipelineEndToEndIT {
    private static final int TICKS = 240;
    private static final Instant START = Instant.parse("2019-02-11T14:31:00Z");
    private static final RefData AAPL = RefData.load("AAPL_1m_2019.csv");
    @RegisterExtension
    static final LocalStackExtension STACK = new LocalStackExtension();

    @Test
    void shouldDeliverTaLibValuesInSeqOrderWhenTicksArePostedOverHttpAndProducedToKafka() throws Exception {
        try (WsTestClient client = new WsTestClient(STACK.deliveryWsPort())) {
            client.send("{\"op\":\"subscribe\",\"id\":1,\"symbols\":[\"AAPL.HTTP\",\"AAPL.KAFKA\"]}");
            final JsonNode ack = client.next(f -> f.path("type").asText().equals("subscribed"), Duration.ofSeconds(10));
            assertEquals(1, ack.path("id").asInt());

            postOverHttp("AAPL.HTTP");
            produceToKafka("AAPL.KAFKA");

            final List<JsonNode> results = client.results(
                    r -> r.size() >= 2 * TICKS, Duration.ofSeconds(90));
            final Map<String, List<JsonNode>> byStock = results.stream()
                    .collect(Collectors.groupingBy(r -> r.get("stock_id").asText()));
            for (String stock : List.of("AAPL.HTTP", "AAPL.KAFKA")) {
                assertGolden(stock, byStock.get(stock));
            }
        }
    }

    private static void assertGolden(final String stock, final List<JsonNode> results) {
        assertEquals(TICKS, results.size(), stock + " result count");
        for (int i = 0; i < TICKS; i++) {
            final JsonNode r = results.get(i);
            assertEquals(i + 1, r.get("seq").asLong(), stock + " seq order");
            assertEquals(AAPL.value(i, "price"), r.get("price").asDouble(), stock + " price at " + i);
            final JsonNode ind = r.get("indicators");
            assertSame(stock, i, AAPL.value(i, "sma20"), ind.get("sma_20"));
            assertSame(stock, i, AAPL.value(i, "rsi14"), ind.get("rsi_14"));
            assertSame(stock, i, AAPL.value(i, "ema20"), ind.get("ema_20"));
            assertSame(stock, i, AAPL.value(i, "macd"), ind.get("macd_12_26_9").get("macd"));
            assertSame(stock, i, AAPL.value(i, "macd_signal"), ind.get("macd_12_26_9").get("signal"));
            assertSame(stock, i, AAPL.value(i, "macd_hist"), ind.get("macd_12_26_9").get("hist"));
            assertSame(stock, i, AAPL.value(i, "bb_upper"), ind.get("bbands_20_2").get("upper"));
            assertSame(stock, i, AAPL.value(i, "bb_middle"), ind.get("bbands_20_2").get("middle"));
            assertSame(stock, i, AAPL.value(i, "bb_lower"), ind.get("bbands_20_2").get("lower"));
        }
    }

    /** TA-Lib's value bit for bit, or JSON null exactly where TA-Lib has none yet. */
    private static void assertSame(final String stock, final int row, final double expected, final JsonNode actual) {
        if (Double.isNaN(expected)) {
            assertTrue(actual == null || actual.isNull(), stock + " row " + row + " should be null, was " + actual);
        } else {
            assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(actual.asDouble()),
                    stock + " row " + row + ": expected " + expected + " was " + actual);
        }
    }

    private static Tick tick(final String stock, final int row) {
        return Tick.of(stock, START.plusSeconds(60L * row), AAPL.value(row, "price"), AAPL.value(row, "volume"));
    }

    private static void postOverHttp(final String stock) throws Exception {
        final HttpClient http = HttpClient.newHttpClient();
        for (int from = 0; from < TICKS; from += 60) {
            final String ndjson = IntStream.range(from, Math.min(TICKS, from + 60))
                    .mapToObj(i -> new String(Json.encodeTick(tick(stock, i)), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("\n"));
            final HttpResponse<String> response = http.send(HttpRequest.newBuilder()
                    .uri(URI.create("http://127.0.0.1:" + STACK.ingestHttpPort() + "/ticks"))
                    .header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofString(ndjson)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, response.statusCode(), response.body());
            assertEquals(Math.min(60, TICKS - from), Json.MAPPER.readTree(response.body()).get("accepted").asInt());
        }
    }

    private static void produceToKafka(final String stock) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, STACK.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < TICKS; i++) {
                producer.send(new ProducerRecord<>(Topics.TICKS, stock, Json.encodeTick(tick(stock, i))));
            }
            producer.flush();
        }
    }
}
