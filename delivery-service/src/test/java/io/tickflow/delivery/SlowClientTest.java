package io.tickflow.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickflow.model.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that stops reading must cost a bounded amount and never hold up the others: what the socket holds is
 * bounded by its window and the rest is conflated to the latest value per stock, so when it reads again it gets fresh
 * values; past the hard limit (only frames that cannot be conflated) it is closed with 407. Meanwhile a healthy
 * client receives every update in order.
 */
class SlowClientTest {
    private static final String PAD = "x".repeat(2_000);
    private DeliveryMain service;

    @AfterEach
    void tearDown() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void shouldKeepASlowReaderBoundedAndSendItTheLatestValuesWhenItReadsAgainWhileOthersGetEveryUpdate() throws Exception {
        service = DeliveryMain.startWithoutFeed(DeliveryConfig.fromEnv(DeliveryFixture.env(
                "WS_OUTBOUND_HIGH_WATER_BYTES", "32768", "WS_OUTBOUND_LIMIT_BYTES", "65536",
                "WS_SOCKET_WINDOW_BYTES", "8192", "WS_BATCH_MAX", "1"))); // the checks read one update per frame
        try (RawSocketClient slow = new RawSocketClient(service.wsPort());
             WsClient fast = WsClient.connect(service.wsPort())) {
            final String subscribe = "{\"op\":\"subscribe\",\"symbols\":[\"S0\",\"S1\",\"S2\",\"S3\",\"S4\"]}";
            slow.sendText(subscribe);
            fast.send(subscribe).nextOfType("subscribed");
            fast.send("{\"op\":\"list\"}").nextOfType("subscribed");
            awaitTrue(() -> (long) service.metrics().framesOut.get() >= 3); // the slow client's ack is out too

            final Map<String, Long> last = new HashMap<>();
            for (int seq = 1; seq <= 1_000; seq++) {
                for (int s = 0; s < 5; s++) {
                    service.sink().accept(TestResults.result("S" + s, seq, 100.0, PAD));
                }
                for (int s = 0; s < 5; s++) { // the healthy client keeps up, round after round
                    final JsonNode m = fast.nextOfType("update");
                    final String stock = m.path("data").path("stock_id").asText();
                    assertEquals(last.getOrDefault(stock, 0L) + 1, m.path("data").path("seq").asLong(),
                            "fast client saw every update in order");
                    assertTrue(m.path("conflated").isMissingNode());
                    last.put(stock, m.path("data").path("seq").asLong());
                }
            }
            assertTrue((long) service.metrics().conflations.get() > 0, "the slow client was conflated");
            assertEquals(0, (long) service.metrics().slowClientCloses.get(), "10 MB were published for the slow"
                    + " client, and what waited for it stayed under the 64 KiB limit");
            assertEquals(2, (long) service.metrics().connections.get(), "conflated, not dropped");

            final List<String> frames = slow.readTextFrames(Duration.ofSeconds(2)); // it reads again
            final Map<String, Long> lastSeen = new HashMap<>();
            for (String frame : frames) {
                final JsonNode m = Json.MAPPER.readTree(frame);
                if ("update".equals(m.path("type").asText())) {
                    lastSeen.put(m.path("data").path("stock_id").asText(), m.path("data").path("seq").asLong());
                }
            }
            assertEquals(Map.of("S0", 1_000L, "S1", 1_000L, "S2", 1_000L, "S3", 1_000L, "S4", 1_000L), lastSeen,
                    "it gets every stock's latest value");
            assertTrue(frames.size() < 2_500, "of the 5,000 updates it read only " + frames.size() + ": those the"
                    + " kernel's socket buffers and the window held, then the latest of each stock");
        }
    }

    @Test
    void shouldCloseSlowClientWith407WhenBacklogPassesHardLimit() throws Exception {
        service = DeliveryMain.startWithoutFeed(DeliveryConfig.fromEnv(DeliveryFixture.env(
                "WS_OUTBOUND_HIGH_WATER_BYTES", "16384", "WS_OUTBOUND_LIMIT_BYTES", "65536",
                "WS_SOCKET_WINDOW_BYTES", "8192", "WS_BATCH_MAX", "1"))); // the checks read one update per frame
        try (RawSocketClient slow = new RawSocketClient(service.wsPort());
             WsClient fast = WsClient.connect(service.wsPort())) {
            slow.sendText("{\"op\":\"subscribe\",\"symbols\":[\"*\"]}");
            fast.send("{\"op\":\"subscribe\",\"symbols\":[\"S0\"]}").nextOfType("subscribed");
            fast.send("{\"op\":\"list\"}").nextOfType("subscribed");
            awaitTrue(() -> (long) service.metrics().framesOut.get() >= 3);

            for (int seq = 1; seq <= 10; seq++) {
                for (int s = 0; s < 500; s++) { // the slow client gets all 500 stocks, the fast one S0 only
                    service.sink().accept(TestResults.result("S" + s, seq, 100.0, PAD));
                }
                final JsonNode m = fast.nextOfType("update");
                assertEquals(seq, m.path("data").path("seq").asLong());
            }
            awaitTrue(() -> (long) service.metrics().slowClientCloses.get() == 1 && (long) service.metrics().connections.get() == 1);
        }
    }

    static void awaitTrue(final BooleanSupplier condition) throws InterruptedException {
        final long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 15 s");
            }
            Thread.sleep(20);
        }
    }
}
