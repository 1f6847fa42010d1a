package io.tickflow.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tickflow.runtime.HttpLimits;
import io.tickflow.model.Json;
import io.tickflow.model.Tick;
import io.tickflow.model.TickSanity;
import io.tickflow.runtime.AuthFailures;
import io.tickflow.runtime.AuthTokens;
import io.tickflow.runtime.BearerAuth;
import io.tickflow.runtime.ServiceHttpServer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TickGatewayTest {
    private static final String TICK = "{\"stock_id\":\"AAPL\",\"timestamp\":\"2024-06-02T12:34:56Z\",\"price\":150.25,\"volume\":1000}";
    private static final Instant NOW = Instant.parse("2024-06-02T12:35:00.123456Z");

    private final HttpClient client = HttpClient.newHttpClient();
    private MockProducer<String, byte[]> producer;
    private ServiceHttpServer http;

    private final List<Socket> stalled = new ArrayList<>();

    private static final int MAX_STOCKS = 10;
    private final AuthFailures authFailures = new AuthFailures();

    private URI start(final boolean autoComplete, final Set<String> tokens) throws IOException {
        return start(autoComplete, tokens, HttpLimits.DEFAULTS);
    }

    private URI start(final boolean autoComplete, final Set<String> tokens, final HttpLimits limits)
            throws IOException {
        producer = new MockProducer<>(autoComplete, null, new StringSerializer(), new ByteArraySerializer());
        final PrometheusRegistry registry = new PrometheusRegistry();
        final IngestMetrics metrics = new IngestMetrics(registry);
        final TickPublisher publisher = new TickPublisher(producer, "ticks", "http", metrics);
        http = new ServiceHttpServer("ingest-test", "127.0.0.1", 0, 4, limits, registry);
        http.route("/ticks", new TickGateway(publisher, metrics, Clock.fixed(NOW, ZoneOffset.UTC), 2048,
                Duration.ofMillis(300), Duration.ofSeconds(3), TickSanity.DEFAULT,
                new ActiveStocks(MAX_STOCKS, Duration.ofHours(1).toNanos(), System::nanoTime),
                new BearerAuth(AuthTokens.of(tokens), authFailures)));
        http.start();
        return URI.create("http://127.0.0.1:" + http.port() + "/ticks");
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : stalled) {
            s.close();
        }
        if (http != null) {
            http.close();
        }
    }

    private HttpResponse<String> post(final URI uri, final String type, final String body, final String auth)
            throws Exception {
        final HttpRequest.Builder b = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body));
        if (type != null) {
            b.header("Content-Type", type);
        }
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldPublishKeyedByStockAndStampIngestTimeWhenTicksValid() throws Exception {
        final URI uri = start(true, Set.of());
        final String ndjson = TICK + "\n" + TICK.replace("AAPL", "MSFT").replace("}", ",\"ingest_us\":7}");
        final HttpResponse<String> r = post(uri, "application/x-ndjson", ndjson, null);
        assertEquals(202, r.statusCode(), r.body());
        assertEquals(2, Json.MAPPER.readTree(r.body()).get("accepted").asInt());
        final List<ProducerRecord<String, byte[]>> sent = producer.history();
        assertEquals(List.of("AAPL", "MSFT"), sent.stream().map(ProducerRecord::key).toList());
        final Tick first = Json.decodeTick(sent.get(0).value());
        assertEquals(NOW.getEpochSecond() * 1_000_000L + 123_456, first.ingestMicros());
        assertEquals(7, Json.decodeTick(sent.get(1).value()).ingestMicros(), "an existing ingest_us is kept");
    }

    @Test
    void shouldAnswerHealthWithinOneSecondWhen200ConnectionsStallMidHeaders() throws Exception {
        final URI uri = start(true, Set.of());
        for (int i = 0; i < 200; i++) { // the reported fault: 16 of these made /health time out
            stall(uri, "POST /ticks HTTP/1.1\r\nHost: x\r\n");
        }
        final long began = System.nanoTime();
        final HttpResponse<String> health = client.send(HttpRequest.newBuilder(uri.resolve("/health"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        final long millis = (System.nanoTime() - began) / 1_000_000;
        System.out.printf("gateway GET /health with 200 stalled POST /ticks connections: %d ms%n", millis);
        assertEquals(200, health.statusCode());
        assertTrue(millis < 1_000, "GET /health took " + millis + " ms");
        assertEquals(202, post(uri, "application/json", TICK, null).statusCode());
    }

    @Test
    void shouldDropRequestWhoseBodyStallsPastIdleTimeout() throws Exception {
        final URI uri = start(true, Set.of(), new HttpLimits(100, Duration.ofMillis(500), 8_192));
        final Socket slow = stall(uri, "POST /ticks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 200\r\n\r\n{\"stock_id\":");
        slow.setSoTimeout(5_000);
        final long began = System.nanoTime();
        final byte[] answer = slow.getInputStream().readAllBytes(); // returns when the server closes
        final long millis = (System.nanoTime() - began) / 1_000_000;
        System.out.printf("gateway request with a stalled body ended after %d ms (idle timeout 500 ms): %s%n",
                millis, new String(answer, StandardCharsets.US_ASCII).lines().findFirst().orElse("(no answer)"));
        assertTrue(millis < 4_000, "still open after " + millis + " ms");
        assertTrue(new String(answer, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 408"),
                new String(answer, StandardCharsets.US_ASCII));
        assertTrue(producer.history().isEmpty());
        assertEquals(202, post(uri, "application/json", TICK, null).statusCode());
    }

    private Socket stall(final URI uri, final String head) throws IOException {
        final Socket s = new Socket();
        stalled.add(s);
        s.connect(new InetSocketAddress("127.0.0.1", uri.getPort()), 5_000);
        s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    @Test
    void shouldPublishNothingAndListErrorsWhenAnyTickBad() throws Exception {
        final URI uri = start(true, Set.of());
        final HttpResponse<String> r = post(uri, "application/json",
                "[" + TICK + "," + TICK.replace("150.25", "-3") + "]", null);
        assertEquals(400, r.statusCode());
        final JsonNode body = Json.MAPPER.readTree(r.body());
        assertEquals(0, body.get("published").asInt());
        assertEquals(1, body.get("errors").get(0).get("index").asInt());
        assertEquals("price", body.get("errors").get(0).get("field").asText());
        assertTrue(producer.history().isEmpty());
    }

    @Test
    void shouldRefuseAPriceAbovePriceMaxAndATimestampAheadOfTheClockNamingTheField() throws Exception {
        final URI uri = start(true, Set.of());
        final String absurd = TICK.replace("150.25", "1e12");
        final String future = TICK.replace("2024-06-02T12:34:56Z", "2024-06-02T12:36:01Z"); // NOW + 61 s
        final HttpResponse<String> r = post(uri, "application/json", "[" + absurd + "," + future + "]", null);
        assertEquals(400, r.statusCode());
        final JsonNode errors = Json.MAPPER.readTree(r.body()).get("errors");
        assertEquals("price", errors.get(0).get("field").asText());
        assertTrue(errors.get(0).get("message").asText().contains("PRICE_MAX"), errors.toString());
        assertEquals("timestamp", errors.get(1).get("field").asText());
        assertTrue(errors.get(1).get("message").asText().contains("ahead"), errors.toString());
        assertTrue(producer.history().isEmpty());
        final String withinSkew = TICK.replace("2024-06-02T12:34:56Z", "2024-06-02T12:35:59Z");
        assertEquals(202, post(uri, "application/json", withinSkew, null).statusCode());
    }

    @Test
    void shouldAnswer503WithRetryAfterWhenKafkaFails() throws Exception {
        final URI uri = start(false, Set.of());
        final CompletableFuture<HttpResponse<String>> pending = client.sendAsync(HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(TICK)).build(),
                HttpResponse.BodyHandlers.ofString());
        final long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (producer.history().isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        producer.errorNext(new TimeoutException("broker gone"));
        final HttpResponse<String> r = pending.get();
        assertEquals(503, r.statusCode(), r.body());
        assertEquals("3", r.headers().firstValue("Retry-After").orElseThrow());
        assertEquals(0, Json.MAPPER.readTree(r.body()).get("published").asInt());
        assertTrue(r.body().contains("broker gone"), r.body());
    }

    @Test
    void shouldAnswer503WhenKafkaNeverAnswers() throws Exception {
        final URI uri = start(false, Set.of());
        final long began = System.nanoTime();
        final HttpResponse<String> r = post(uri, "application/json", TICK, null);
        assertEquals(503, r.statusCode(), r.body());
        assertTrue(System.nanoTime() - began < Duration.ofSeconds(3).toNanos());
    }

    @Test
    void shouldRequireBearerTokenWhenTokensConfigured() throws Exception {
        final URI uri = start(true, Set.of("s3cret"));
        assertEquals(401, post(uri, "application/json", TICK, null).statusCode());
        assertEquals(403, post(uri, "application/json", TICK, "Bearer nope").statusCode());
        assertEquals(202, post(uri, "application/json", TICK, "Bearer s3cret").statusCode());
    }

    @Test
    void shouldRefuseTicksOfNewStocksPastTheActiveLimitNamingIt() throws Exception {
        final URI uri = start(true, Set.of());
        final StringBuilder many = new StringBuilder();
        for (int i = 0; i < MAX_STOCKS; i++) {
            many.append(TICK.replace("AAPL", "S" + i)).append('\n');
        }
        assertEquals(202, post(uri, "application/x-ndjson", many.toString(), null).statusCode());
        final HttpResponse<String> refused = post(uri, "application/json", TICK.replace("AAPL", "NEW"), null);
        assertEquals(400, refused.statusCode());
        final JsonNode error = Json.MAPPER.readTree(refused.body()).get("errors").get(0);
        assertEquals("stock_id", error.get("field").asText());
        assertTrue(error.get("message").asText().contains("INGEST_MAX_STOCKS"), error.toString());
        assertEquals(202, post(uri, "application/json", TICK.replace("AAPL", "S7"), null).statusCode(),
                "active stocks go on");
    }

    @Test
    void shouldRefuseAnAddressWith429AfterTooManyWrongTokens() throws Exception {
        final URI uri = start(true, Set.of("s3cret"));
        for (int i = 0; i < 10; i++) {
            assertEquals(403, post(uri, "application/json", TICK, "Bearer guess-" + i).statusCode());
        }
        final HttpResponse<String> refused = post(uri, "application/json", TICK, "Bearer s3cret");
        assertEquals(429, refused.statusCode(), "even the right token waits out the window");
        assertEquals("60", refused.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(producer.history().isEmpty());
    }

    @Test
    void shouldRefuseWrongMethodTypeAndSize() throws Exception {
        final URI uri = start(true, Set.of());
        final HttpResponse<String> type = post(uri, "text/plain", TICK, null);
        assertEquals(415, type.statusCode());
        assertTrue(type.body().contains("application/json") && type.body().contains("application/x-ndjson"));
        assertEquals(415, post(uri, null, TICK, null).statusCode());
        assertEquals(415, post(uri, "application/json; charset=latin1", TICK, null).statusCode());
        assertEquals(202, post(uri, "Application/JSON; charset=UTF-8", TICK, null).statusCode());
        assertEquals(413, post(uri, "application/json", "[" + (TICK + ",").repeat(30) + TICK + "]", null).statusCode());
        assertEquals(400, post(uri, "application/json", "", null).statusCode());
        final HttpResponse<String> get = client.send(HttpRequest.newBuilder(uri).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, get.statusCode());
    }
}
