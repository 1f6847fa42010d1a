package io.tickflow.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickflow.model.Json;
import io.tickflow.model.Tick;
import io.tickflow.model.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18 (2): what a running local stack really sends validates against docs/asyncapi.yaml — every WebSocket frame a
 * client receives while it walks through the protocol (auth, subscribe, list, bare stock id, errors 400/404/405,
 * resume into a reset, unsubscribe, wildcard, heartbeat, batched arrays when they occur), and the records on
 * {@code stock_data}, {@code indicator_results} and {@code stock_data.dlq}.
 */
class StreamFramesSchemaIT {
    private static final AsyncApiDocument API = AsyncApiDocument.load();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Instant START = Instant.parse("2024-06-02T12:00:00Z");
    private static final int PER_STOCK = 30;

    private static LocalStack stack;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<String> seen = new ArrayList<>();

    @BeforeAll
    static void startStack() throws Exception {
        stack = LocalStack.start(LocalStackOptions.forTests(Map.of(
                "WS_HEARTBEAT_INTERVAL", "1s", "HISTORY_SIZE", "5", "WS_MAX_SUBSCRIPTIONS", "3")));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void shouldSendOnlyFramesAndRecordsThatValidateAgainstTheAsyncApiSchemas() throws Exception {
        try (WsTestClient client = new WsTestClient(stack.deliveryWsPort())) {
            client.send("{\"op\":\"auth\",\"id\":\"a1\",\"token\":\"anything\"}");
            expect(client, "authenticated", f -> true);
            client.send("{\"op\":\"subscribe\",\"id\":1,\"symbols\":[\"API.A\",\"API.B\"]}");
            expect(client, "subscribed", f -> f.path("id").asInt() == 1);

            for (String stock : List.of("API.A", "API.B")) {
                assertEquals(202, IngestTestSupport.post(http, stack.ingestHttpPort(), "application/x-ndjson",
                        ndjson(stock).getBytes(StandardCharsets.UTF_8)).statusCode());
            }
            expect(client, "update", f -> f.path("data").path("seq").asLong() == PER_STOCK);

            client.send("{\"op\":\"list\",\"id\":2}");
            expect(client, "subscribed", f -> f.path("id").asInt() == 2);
            client.send("API.A");
            expect(client, "snapshot", f -> f.path("data").path("stock_id").asText().equals("API.A"));
            client.send("NOPE.NONE");
            expect(client, "error", f -> f.path("code").asInt() == 404);
            client.send("{\"op\":\"dance\"}");
            expect(client, "error", f -> f.path("code").asInt() == 400);
            client.send("{\"op\":\"subscribe\",\"id\":3,\"symbols\":[\"X1\",\"X2\",\"X3\",\"X4\"]}");
            expect(client, "error", f -> f.path("code").asInt() == 405);
            client.send("{\"op\":\"resume\",\"id\":4,\"from\":{\"API.A\":1}}"); // HISTORY_SIZE 5 no longer reaches seq 2
            expect(client, "reset", f -> f.path("symbol").asText().equals("API.A"));
            expect(client, "snapshot", f -> f.path("data").path("stock_id").asText().equals("API.A"));
            client.send("{\"op\":\"unsubscribe\",\"id\":5,\"symbols\":[\"API.B\"]}");
            expect(client, "subscribed", f -> f.path("id").asInt() == 5);
            expect(client, "heartbeat", f -> true);
        }
        try (WsTestClient everything = new WsTestClient(stack.deliveryWsPort())) {
            everything.send("{\"op\":\"subscribe\",\"id\":\"all\",\"symbols\":[\"*\"]}");
            expect(everything, "subscribed", f -> f.path("id").asText().equals("all"));
            expect(everything, "snapshot", f -> true);
        }
        assertTrue(seen.containsAll(List.of("authenticated", "subscribed", "update", "snapshot", "error", "reset",
                "heartbeat")), "frame types seen: " + new TreeSet<>(seen));

        // The Kafka side of the contract, read back from the stack's broker.
        final List<ConsumerRecord<String, byte[]>> ticks = IngestTestSupport.readAll(stack.bootstrapServers(), Topics.TICKS);
        assertEquals(2 * PER_STOCK, validateRecords("tick", ticks));
        final List<ConsumerRecord<String, byte[]>> results =
                IngestTestSupport.readAll(stack.bootstrapServers(), Topics.RESULTS);
        assertEquals(2 * PER_STOCK, validateRecords("indicatorResult", results));

        // A record no gateway checked: its dead letter's headers follow the document.
        try (var producer = IndicatorTestSupport.producer(stack.bootstrapServers())) {
            IndicatorTestSupport.send(producer, Topics.TICKS, "API.BAD", "not json".getBytes(StandardCharsets.UTF_8));
            producer.flush();
        }
        final String dlq = Topics.deadLetterOf(Topics.TICKS);
        IndicatorTestSupport.await("the dead letter", WAIT,
                () -> !IngestTestSupport.readAll(stack.bootstrapServers(), dlq).isEmpty());
        for (ConsumerRecord<String, byte[]> r : IngestTestSupport.readAll(stack.bootstrapServers(), dlq)) {
            final var headers = Json.MAPPER.createObjectNode();
            r.headers().forEach(h -> headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
            final List<String> problems = API.headerProblems("deadLetter", headers);
            assertTrue(problems.isEmpty(), "dead letter headers " + headers + ": " + problems);
            assertEquals("malformed", headers.path("tickflow.error.code").asText());
        }
    }

    /** Reads frames until one of {@code type} matching {@code filter}, validating every frame on the way. */
    private void expect(final WsTestClient client, final String type, final Predicate<JsonNode> filter)
            throws InterruptedException {
        client.next(frame -> {
            if (frame.isArray()) {
                check("dataBatch", frame);
                seen.add("dataBatch");
                for (JsonNode message : frame) {
                    seen.add(message.path("type").asText());
                }
                return false;
            }
            final String frameType = frame.path("type").asText();
            assertTrue(API.messageNames().contains(frameType), "a frame of a type the document lacks: " + frame);
            check(frameType, frame);
            seen.add(frameType);
            return frameType.equals(type) && filter.test(frame);
        }, WAIT);
    }

    private static int validateRecords(final String message, final List<ConsumerRecord<String, byte[]>> records)
            throws Exception {
        for (ConsumerRecord<String, byte[]> r : records) {
            final JsonNode value = Json.MAPPER.readTree(r.value());
            check(message, value);
            assertEquals(value.path("stock_id").asText(), r.key(), "key = stock_id");
        }
        return records.size();
    }

    private static void check(final String message, final JsonNode value) {
        final List<String> problems = API.problems(message, value);
        assertTrue(problems.isEmpty(), message + " " + value + " breaks docs/asyncapi.yaml: " + problems);
    }

    private static String ndjson(final String stock) {
        return IntStream.range(0, PER_STOCK)
                .mapToObj(i -> new String(Json.encodeTick(Tick.of(stock, START.plusSeconds(i), 100 + i % 7, 10 + i)),
                        StandardCharsets.UTF_8))
                .collect(Collectors.joining("\n"));
    }

}
