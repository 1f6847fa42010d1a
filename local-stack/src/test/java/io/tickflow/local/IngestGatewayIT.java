package io.tickflow.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickflow.ingest.IngestConfig;
import io.tickflow.ingest.IngestMain;
import io.tickflow.model.Json;
import io.tickflow.model.Tick;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gateway against the real broker: the validation matrix, 202 only for ticks really in Kafka, concurrency. */
class IngestGatewayIT {
    private static final String GOOD_FIELDS = "\"stock_id\":\"AAPL\",\"timestamp\":\"2024-06-02T12:34:56Z\","
            + "\"price\":150.25,\"volume\":1000";
    private static final AtomicInteger ACCEPTED = new AtomicInteger();

    private static String topic;
    private static IngestMain ingest;
    private static HttpClient client;

    @BeforeAll
    static void start() {
        topic = KafkaFixture.uniqueTopic("ingest-gw");
        KafkaFixture.createTopics(KafkaFixture.bootstrapServers(), Map.of(topic, 3));
        ingest = IngestMain.start(IngestConfig.fromEnv(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", KafkaFixture.bootstrapServers(),
                "TICKS_TOPIC", topic,
                "HTTP_HOST", "127.0.0.1",
                "HTTP_PORT", "0")));
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stopAndCheckNothingHalfWritten() {
        ingest.close();
        // Every record in the topic belongs to a request answered 202: rejected requests published nothing.
        assertEquals(ACCEPTED.get(), IngestTestSupport.readAll(KafkaFixture.bootstrapServers(), topic).size());
    }

    private static HttpResponse<String> post(final String type, final String body) throws Exception {
        return post(type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> post(final String type, final byte[] body) throws Exception {
        final HttpResponse<String> r = IngestTestSupport.post(client, ingest.httpPort(), type, body);
        if (r.statusCode() == 202) {
            ACCEPTED.addAndGet(Json.MAPPER.readTree(r.body()).get("accepted").asInt());
        }
        return r;
    }

    /** One field wrong in one way: the tick JSON, the field the 400 must name, a fragment of its message. */
    static Stream<Arguments> badTicks() {
        return Stream.of(
                Arguments.of("{\"timestamp\":\"2024-06-02T12:34:56Z\",\"price\":1,\"volume\":1}", "stock_id", "required"),
                Arguments.of(tick("stock_id", "null"), "stock_id", "null"),
                Arguments.of(tick("stock_id", "42"), "stock_id", "was 42"),
                Arguments.of(tick("stock_id", "[\"AAPL\"]"), "stock_id", "an array"),
                Arguments.of(tick("stock_id", "\"\""), "stock_id", "1-32 characters"),
                Arguments.of(tick("stock_id", "\"" + "A".repeat(33) + "\""), "stock_id", "was 33"),
                Arguments.of(tick("stock_id", "\"AA PL\""), "stock_id", "\"AA PL\""),
                Arguments.of(tick("stock_id", "\"AAPL!\""), "stock_id", "\"AAPL!\""),
                Arguments.of("{\"stock_id\":\"AAPL\",\"price\":1,\"volume\":1}", "timestamp", "required"),
                Arguments.of(tick("timestamp", "null"), "timestamp", "null"),
                Arguments.of(tick("timestamp", "\"yesterday\""), "timestamp", "\"yesterday\""),
                Arguments.of(tick("timestamp", "\"2024-13-01T00:00:00Z\""), "timestamp", "2024-13-01"),
                Arguments.of(tick("timestamp", "\"2024-06-02 12:34:56\""), "timestamp", "2024-06-02 12:34:56"),
                Arguments.of(tick("timestamp", "-5"), "timestamp", "-5"),
                Arguments.of(tick("timestamp", "true"), "timestamp", "was true"),
                Arguments.of(tick("timestamp", "{}"), "timestamp", "an object"),
                Arguments.of("{\"stock_id\":\"AAPL\",\"timestamp\":\"2024-06-02T12:34:56Z\",\"volume\":1}", "price", "required"),
                Arguments.of(tick("price", "null"), "price", "null"),
                Arguments.of(tick("price", "\"150.25\""), "price", "\"150.25\""),
                Arguments.of(tick("price", "0"), "price", "0.0"),
                Arguments.of(tick("price", "-1.5"), "price", "-1.5"),
                Arguments.of(tick("price", "1e400"), "price", "Infinity"),
                Arguments.of(tick("price", "true"), "price", "was true"),
                Arguments.of(tick("price", "[1]"), "price", "an array"),
                Arguments.of("{\"stock_id\":\"AAPL\",\"timestamp\":\"2024-06-02T12:34:56Z\",\"price\":1}", "volume", "required"),
                Arguments.of(tick("volume", "null"), "volume", "null"),
                Arguments.of(tick("volume", "\"many\""), "volume", "\"many\""),
                Arguments.of(tick("volume", "-1"), "volume", "-1.0"),
                Arguments.of(tick("volume", "-1e400"), "volume", "Infinity"),
                Arguments.of(tick("volume", "{}"), "volume", "an object"),
                Arguments.of(tick("ingest_us", "\"now\""), "ingest_us", "\"now\""),
                Arguments.of(tick("ingest_us", "1.5"), "ingest_us", "was 1.5"),
                Arguments.of("{" + GOOD_FIELDS + ",\"price\":2}", "", "Duplicate field"),
                Arguments.of("{" + GOOD_FIELDS, "", "malformed JSON"),
                Arguments.of("\"AAPL\"", "", "must be a JSON object"));
    }

    /** The good tick with {@code field} set to the raw JSON {@code value}. */
    private static String tick(final String field, final String value) {
        final Map<String, String> fields = new java.util.LinkedHashMap<>(Map.of(
                "stock_id", "\"AAPL\"", "timestamp", "\"2024-06-02T12:34:56Z\"", "price", "150.25", "volume", "1000"));
        fields.put(field, value);
        return fields.entrySet().stream().map(e -> "\"" + e.getKey() + "\":" + e.getValue())
                .collect(Collectors.joining(",", "{", "}"));
    }

    @ParameterizedTest(name = "[{index}] {1}: {0}")
    @MethodSource("badTicks")
    void shouldAnswer400NamingFieldWhenOneFieldIsWrong(final String json, final String field, final String fragment)
            throws Exception {
        final HttpResponse<String> r = post("application/json", json);
        assertEquals(400, r.statusCode(), r.body());
        final JsonNode body = Json.MAPPER.readTree(r.body());
        assertEquals(0, body.get("published").asInt());
        final JsonNode error = body.get("errors").get(0);
        assertEquals(field, error.get("field").asText(), r.body());
        assertEquals(0, error.get("index").asInt());
        assertTrue(error.get("message").asText().contains(fragment), r.body());
    }

    @Test
    void shouldListEveryBadLineAndPublishNothingWhenNdjsonHasGoodAndBadTicks() throws Exception {
        final List<Arguments> cases = badTicks().toList();
        final StringBuilder body = new StringBuilder("{" + GOOD_FIELDS + "}\n");
        for (Arguments c : cases) {
            body.append(c.get()[0]).append('\n');
        }
        final HttpResponse<String> r = post("application/x-ndjson", body.toString());
        assertEquals(400, r.statusCode());
        final JsonNode reply = Json.MAPPER.readTree(r.body());
        assertEquals(0, reply.get("published").asInt());
        assertEquals(1, reply.get("valid").asInt());
        assertEquals(cases.size(), reply.get("invalid").asInt());
        for (int i = 0; i < cases.size(); i++) {
            final JsonNode error = reply.get("errors").get(i);
            assertEquals(i + 2, error.get("line").asInt(), error.toString());
            assertEquals(cases.get(i).get()[1], error.get("field").asText(), error.toString());
        }
    }

    @Test
    void shouldListEveryBadIndexWhenArrayHasBadTicks() throws Exception {
        final String body = "[{" + GOOD_FIELDS + "}," + tick("price", "-1") + ",{" + GOOD_FIELDS + "},"
                + tick("stock_id", "\"a b\"") + "]";
        final HttpResponse<String> r = post("application/json", body);
        assertEquals(400, r.statusCode());
        final JsonNode errors = Json.MAPPER.readTree(r.body()).get("errors");
        assertEquals(2, errors.size());
        assertEquals(1, errors.get(0).get("index").asInt());
        assertEquals("price", errors.get(0).get("field").asText());
        assertEquals(3, errors.get(1).get("index").asInt());
        assertEquals("stock_id", errors.get(1).get("field").asText());
    }

    @Test
    void shouldRefuseRequestsThatAreNotTickBatches() throws Exception {
        assertEquals(400, post("application/json", "").statusCode());
        assertEquals(400, post("application/x-ndjson", "").statusCode());
        final HttpResponse<String> type = post("text/csv", "{" + GOOD_FIELDS + "}");
        assertEquals(415, type.statusCode());
        assertTrue(type.body().contains("application/json") && type.body().contains("application/x-ndjson"));
        assertEquals(415, post(null, "{" + GOOD_FIELDS + "}").statusCode());

        final byte[] invalidUtf8 = ("{" + GOOD_FIELDS.replace("AAPL", "AA\u00e9L") + "}").getBytes(StandardCharsets.UTF_8);
        invalidUtf8[16] = (byte) 0xFF;
        final HttpResponse<String> utf8 = post("application/json", invalidUtf8);
        assertEquals(400, utf8.statusCode());
        assertTrue(utf8.body().contains("not valid UTF-8"), utf8.body());

        final byte[] huge = new byte[5 * 1024 * 1024]; // default limit: 4 MiB
        java.util.Arrays.fill(huge, (byte) ' ');
        final HttpResponse<String> tooBig = post("application/x-ndjson", huge);
        assertEquals(413, tooBig.statusCode());
        assertTrue(tooBig.body().contains("4194304"), tooBig.body());
        assertEquals(415, post("text/csv", huge).statusCode(), "a refused body is read, so the client sees the answer");
        assertEquals(202, post("application/json", "{" + GOOD_FIELDS + "}").statusCode(), "the server still serves");
    }

    @Test
    void shouldPublishKeyedByStockWhenAnswered202() throws Exception {
        final Instant t0 = Instant.parse("2024-06-03T13:30:00Z");
        final StringBuilder ndjson = new StringBuilder();
        final List<Tick> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            final Tick t = Tick.of("KEYED" + (i % 5), t0.plusSeconds(i), 100 + i * 0.01, i);
            sent.add(t);
            ndjson.append(new String(Json.encodeTick(t), StandardCharsets.UTF_8)).append('\n');
        }
        final long before = System.currentTimeMillis() * 1000;
        final HttpResponse<String> r = post("application/x-ndjson", ndjson.toString());
        assertEquals(202, r.statusCode(), r.body());
        assertEquals("{\"accepted\":50}", r.body());
        final HttpResponse<String> single = post("application/json", "{" + GOOD_FIELDS.replace("AAPL", "KEYED9") + "}");
        assertEquals(202, single.statusCode());

        final List<ConsumerRecord<String, byte[]>> records =
                IngestTestSupport.readAll(KafkaFixture.bootstrapServers(), topic).stream()
                        .filter(rec -> rec.key().startsWith("KEYED")).toList();
        assertEquals(51, records.size());
        for (ConsumerRecord<String, byte[]> rec : records) {
            final Tick tick = Json.decodeTick(rec.value());
            assertEquals(rec.key(), tick.stockId());
            assertTrue(tick.ingestMicros() >= before, "ingest_us stamped");
        }
        for (int s = 0; s < 5; s++) { // per stock, in request order
            final String id = "KEYED" + s;
            assertEquals(sent.stream().filter(t -> t.stockId().equals(id)).map(Tick::price).toList(),
                    records.stream().filter(rec -> rec.key().equals(id))
                            .map(rec -> Json.decodeTick(rec.value()).price()).toList());
        }
    }

    @Test
    void shouldServeConcurrentKeepAliveRequestsWhenManyClients() throws Exception {
        final ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            final List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                final String body = "{" + GOOD_FIELDS.replace("AAPL", "CONC" + (i % 8)) + "}";
                statuses.add(pool.submit(() -> post("application/json", body).statusCode()));
            }
            for (Future<Integer> status : statuses) {
                assertEquals(202, status.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldReportReadyAndMetricsWhenKafkaReachable() throws Exception {
        assertTrue(IngestTestSupport.await(java.time.Duration.ofSeconds(10), () -> {
            try {
                return IngestTestSupport.get(client, ingest.httpPort(), "/ready").statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        }));
        assertEquals(202, post("application/json", "{" + GOOD_FIELDS + "}").statusCode());
        final String metrics = IngestTestSupport.get(client, ingest.httpPort(), "/metrics").body();
        assertTrue(metrics.contains("tickflow_ticks_published_total{source=\"http\"}"), metrics);
        assertTrue(metrics.contains("tickflow_ingest_request_latency_seconds_bucket"), metrics);
        assertTrue(metrics.contains("tickflow_publish_failures_total"), metrics);
    }
}
