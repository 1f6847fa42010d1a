package io.tickflow.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that stops reading must cost a bounded amount and never hold up the others: it is conflated past the
 * high-water mark and closed with 407 past the hard limit, while a healthy client receives every update in order.
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
    void shouldConflateSlowClientWhileOthersReceiveEveryUpdateWhenOneStopsReading() throws Exception {
        service = DeliveryMain.startWithoutFeed(DeliveryConfig.fromEnv(DeliveryFixture.env(
                "WS_OUTBOUND_HIGH_WATER_BYTES", "32768", "WS_OUTBOUND_LIMIT_BYTES", "8388608",
                "WS_SOCKET_WINDOW_FRAMES", "4", "WS_BATCH_MAX", "1"))); // the checks read one update per frame
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
            assertEquals(0, (long) service.metrics().slowClientCloses.get());
            assertEquals(2, (long) service.metrics().connections.get(), "conflated, not dropped");
        }
    }

    @Test
    void shouldCloseSlowClientWith407WhenBacklogPassesHardLimit() throws Exception {
        service = DeliveryMain.startWithoutFeed(DeliveryConfig.fromEnv(DeliveryFixture.env(
                "WS_OUTBOUND_HIGH_WATER_BYTES", "16384", "WS_OUTBOUND_LIMIT_BYTES", "65536",
                "WS_SOCKET_WINDOW_FRAMES", "4", "WS_BATCH_MAX", "1"))); // the checks read one update per frame
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
