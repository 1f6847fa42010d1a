package io.tickflow.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.tickflow.delivery.DeliveryFixture.barrier;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Protocol v1 over real sockets: every op and every error code, with results injected without a broker. */
class StreamServerTest {
    @RegisterExtension
    final DeliveryFixture delivery = new DeliveryFixture();

    private void publish(final String stockId, final long seq) {
        delivery.service().sink().accept(TestResults.result(stockId, seq));
    }

    private static void assertData(final JsonNode m, final String type, final String stockId, final long seq) {
        assertEquals(type, m.path("type").asText(), m::toString);
        assertEquals(stockId, m.path("data").path("stock_id").asText(), m::toString);
        assertEquals(seq, m.path("data").path("seq").asLong(), m::toString);
    }

    private static void assertError(final JsonNode m, final int code, final String containing) {
        assertEquals("error", m.path("type").asText(), m::toString);
        assertEquals(code, m.path("code").asInt(), m::toString);
        assertTrue(m.path("message").asText().contains(containing), m::toString);
    }

    @Test
    void shouldAckThenSnapshotThenUpdatesInSeqOrderWhenSubscribing() {
        delivery.start();
        publish("AAPL", 1);
        publish("AAPL", 2);
        final WsClient c = delivery.client().send("{\"op\":\"subscribe\",\"id\":7,\"symbols\":[\"AAPL\",\"MSFT\"]}");
        final JsonNode ack = c.next();
        assertEquals("subscribed", ack.path("type").asText());
        assertEquals(7, ack.path("id").asInt());
        assertEquals("[\"AAPL\",\"MSFT\"]", ack.path("symbols").toString());
        assertData(c.next(), "snapshot", "AAPL", 2); // MSFT has no data: no snapshot
        barrier(c);
        publish("MSFT", 1);
        publish("AAPL", 3);
        assertData(c.next(), "update", "MSFT", 1);
        assertData(c.next(), "update", "AAPL", 3);
    }

    @Test
    void shouldIgnoreDuplicateSeqWhenResultsAreRedelivered() {
        delivery.start();
        publish("AAPL", 1);
        final WsClient c = delivery.client().send("{\"op\":\"subscribe\",\"symbols\":[\"AAPL\"]}");
        c.nextOfType("subscribed");
        assertData(c.next(), "snapshot", "AAPL", 1);
        publish("AAPL", 2);
        publish("AAPL", 2);
        publish("AAPL", 1);
        publish("AAPL", 3);
        assertData(c.next(), "update", "AAPL", 2);
        assertData(c.next(), "update", "AAPL", 3);
        assertEquals(2, (long) delivery.service().metrics().resultsDuplicate.get());
    }

    @Test
    void shouldDeliverEveryStockIncludingNewOnesWhenSubscribedToAll() {
        delivery.start();
        publish("AAPL", 5);
        publish("MSFT", 9);
        final WsClient c = delivery.client().send("{\"op\":\"subscribe\",\"symbols\":[\"*\"]}");
        assertEquals("[\"*\"]", c.nextOfType("subscribed").path("symbols").toString());
        final List<JsonNode> snapshots = List.of(c.next(), c.next());
        assertTrue(snapshots.stream().allMatch(m -> "snapshot".equals(m.path("type").asText())));
        barrier(c);
        publish("NVDA", 1);
        assertData(c.next(), "update", "NVDA", 1);
    }

    @Test
    void shouldStopUpdatesAndKeepNamedStocksWhenUnsubscribing() {
        delivery.start();
        final WsClient c = delivery.client().send("{\"op\":\"subscribe\",\"symbols\":[\"*\",\"AAPL\"]}");
        c.nextOfType("subscribed");
        barrier(c);
        c.send("{\"op\":\"unsubscribe\",\"id\":\"u\",\"symbols\":[\"*\"]}");
        final JsonNode ack = c.nextOfType("subscribed");
        assertEquals("u", ack.path("id").asText());
        assertEquals("[\"AAPL\"]", ack.path("symbols").toString());
        publish("MSFT", 1);
        publish("AAPL", 1);
        assertData(c.next(), "update", "AAPL", 1); // MSFT no longer reaches this connection
        c.send("{\"op\":\"unsubscribe\",\"symbols\":[\"AAPL\"]}");
        assertEquals("[]", c.nextOfType("subscribed").path("symbols").toString());
        publish("AAPL", 2);
        c.send("{\"op\":\"list\",\"id\":3}");
        final JsonNode list = c.next();
        assertEquals("subscribed", list.path("type").asText());
        assertEquals(3, list.path("id").asInt());
        assertEquals("[]", list.path("symbols").toString());
    }

    @Test
    void shouldAnswerLatestOnceWhenFrameIsBareStockId() {
        delivery.start();
        publish("AAPL", 4);
        final WsClient c = delivery.client().send("AAPL");
        assertData(c.next(), "snapshot", "AAPL", 4);
        publish("AAPL", 5);
        c.send("NOPE");
        assertError(c.next(), 404, "unknown stock 'NOPE'"); // and no update for AAPL: not subscribed
    }

    @Test
    void shouldReply400AndKeepConnectionWhenRequestIsBad() {
        delivery.start();
        final WsClient c = delivery.client();
        c.send("{\"op\":\"subscribe\",");
        assertError(c.next(), 400, "malformed JSON");
        c.send("{\"op\":\"dance\",\"id\":1}");
        final JsonNode unknown = c.next();
        assertError(unknown, 400, "unknown op 'dance'");
        assertEquals(1, unknown.path("id").asInt());
        c.send("{\"id\":2}");
        assertError(c.next(), 400, "op is required");
        c.send("{\"op\":\"subscribe\",\"symbols\":\"AAPL\"}");
        assertError(c.next(), 400, "symbols is required");
        c.send("{\"op\":\"subscribe\",\"symbols\":[\"AAPL\",\"bad id!\"]}");
        assertError(c.next(), 400, "symbols[1]");
        c.send("{\"op\":\"subscribe\",\"symbols\":[\"AAPL\",42]}");
        assertError(c.next(), 400, "symbols[1] must be a string");
        c.send("{\"op\":\"list\",\"id\":{\"x\":1}}");
        assertError(c.next(), 400, "id must be a number or a string");
        c.send("{\"op\":\"resume\",\"from\":{\"AAPL\":-1}}");
        assertError(c.next(), 400, "from.AAPL must be a seq");
        c.send("{\"op\":\"resume\",\"from\":[1]}");
        assertError(c.next(), 400, "resume needs \"from\"");
        c.send("not a stock id!");
        assertError(c.next(), 400, "bare stock id");
        c.send("{\"op\":\"list\"}");
        assertEquals("[]", c.next().path("symbols").toString()); // nothing changed, still connected
    }

    @Test
    void shouldReply405AndChangeNothingWhenSubscriptionLimitWouldBeExceeded() {
        delivery.start("WS_MAX_SUBSCRIPTIONS", "2");
        final WsClient c = delivery.client().send("{\"op\":\"subscribe\",\"symbols\":[\"AAPL\"]}");
        c.nextOfType("subscribed");
        c.send("{\"op\":\"subscribe\",\"id\":9,\"symbols\":[\"MSFT\",\"NVDA\"]}");
        final JsonNode error = c.next();
        assertError(error, 405, "would make 3");
        assertEquals(9, error.path("id").asInt());
        c.send("{\"op\":\"resume\",\"from\":{\"MSFT\":0,\"NVDA\":0}}");
        assertError(c.next(), 405, "nothing changed");
        c.send("{\"op\":\"list\"}");
        assertEquals("[\"AAPL\"]", c.next().path("symbols").toString());
    }

    @Test
    void shouldReply429WhenClientSendsTooFast() {
        delivery.start("WS_MAX_MESSAGES_PER_SECOND", "5");
        final WsClient c = delivery.client();
        for (int i = 0; i < 8; i++) {
            c.send("{\"op\":\"list\",\"id\":" + i + "}");
        }
        final List<JsonNode> replies = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            replies.add(c.next());
        }
        final long limited = replies.stream().filter(m -> m.path("code").asInt() == 429).count();
        assertTrue(limited >= 1 && limited <= 3, replies::toString); // a window edge may split the burst
        assertTrue(replies.stream().anyMatch(m -> "subscribed".equals(m.path("type").asText())));
    }

    @Test
    void shouldReplayMissedUpdatesWhenResumingWithinHistory() {
        delivery.start("HISTORY_SIZE", "10");
        for (int seq = 1; seq <= 8; seq++) {
            publish("AAPL", seq);
        }
        final WsClient c = delivery.client().send("{\"op\":\"resume\",\"id\":1,\"from\":{\"AAPL\":5,\"MSFT\":0}}");
        assertEquals("[\"AAPL\",\"MSFT\"]", c.nextOfType("subscribed").path("symbols").toString());
        assertData(c.next(), "update", "AAPL", 6);
        assertData(c.next(), "update", "AAPL", 7);
        assertData(c.next(), "update", "AAPL", 8);
        publish("AAPL", 9);
        assertData(c.next(), "update", "AAPL", 9);
    }

    @Test
    void shouldResetThenSnapshotWhenHistoryNoLongerReachesBack() {
        delivery.start("HISTORY_SIZE", "10");
        for (int seq = 1; seq <= 30; seq++) {
            publish("AAPL", seq);
        }
        final WsClient c = delivery.client().send("{\"op\":\"resume\",\"from\":{\"AAPL\":5}}");
        c.nextOfType("subscribed");
        final JsonNode reset = c.next();
        assertEquals("reset", reset.path("type").asText(), reset::toString);
        assertEquals("AAPL", reset.path("symbol").asText());
        assertEquals(5, reset.path("from").asLong());
        assertEquals(21, reset.path("oldest").asLong());
        assertEquals(30, reset.path("latest").asLong());
        assertData(c.next(), "snapshot", "AAPL", 30);
        publish("AAPL", 31);
        assertData(c.next(), "update", "AAPL", 31);
    }

    @Test
    void shouldServeClientsWithoutAuthWhenNoTokensAreConfigured() {
        delivery.start();
        final WsClient c = delivery.client().send("{\"op\":\"auth\",\"id\":1,\"token\":\"anything\"}");
        assertEquals("authenticated", c.next().path("type").asText());
    }

    @Test
    void shouldAcceptClientWhenFirstMessageIsAuthWithValidToken() {
        delivery.start("WS_AUTH_TOKENS", "alpha,beta");
        publish("AAPL", 1);
        final WsClient c = delivery.client().send("{\"op\":\"auth\",\"id\":1,\"token\":\"beta\"}");
        final JsonNode ok = c.next();
        assertEquals("authenticated", ok.path("type").asText());
        assertEquals(1, ok.path("id").asInt());
        c.send("{\"op\":\"subscribe\",\"symbols\":[\"AAPL\"]}");
        c.nextOfType("subscribed");
        assertData(c.next(), "snapshot", "AAPL", 1);
    }

    @Test
    void shouldReply402AndCloseWhenTokenIsWrong() {
        delivery.start("WS_AUTH_TOKENS", "alpha");
        final WsClient c = delivery.client().send("{\"op\":\"auth\",\"token\":\"guess\"}");
        assertError(c.next(), 402, "authentication failed");
        assertEquals(1008, c.awaitClose());
    }

    @Test
    void shouldReply401AndCloseWhenFirstMessageIsNotAuth() {
        delivery.start("WS_AUTH_TOKENS", "alpha");
        final WsClient c = delivery.client().send("{\"op\":\"subscribe\",\"symbols\":[\"AAPL\"]}");
        assertError(c.next(), 401, "authentication required");
        assertEquals(1008, c.awaitClose());
    }

    @Test
    void shouldReply401AndCloseWhenAuthDoesNotArriveInTime() {
        delivery.start("WS_AUTH_TOKENS", "alpha", "WS_AUTH_TIMEOUT", "200ms");
        final WsClient c = delivery.client();
        assertError(c.next(), 401, "within 200 ms");
        assertEquals(1008, c.awaitClose());
    }

    @Test
    void shouldRefuseConnectionWithReasonWhenConnectionLimitIsReached() {
        delivery.start("WS_MAX_CONNECTIONS", "2");
        delivery.client();
        delivery.client();
        final WsClient third = delivery.client();
        assertEquals(1013, third.awaitClose());
        assertTrue(third.closeReason.contains("connection limit 2 reached"), third.closeReason);
        assertEquals(2, (long) delivery.service().metrics().connections.get());
    }

    @Test
    void shouldCloseWith1009WhenFrameExceedsMaxFrameSize() {
        delivery.start("WS_MAX_FRAME_BYTES", "1024");
        final WsClient c = delivery.client();
        c.send("{\"op\":\"list\",\"id\":\"" + "x".repeat(2_000) + "\"}");
        assertEquals(1009, c.awaitClose());
    }

    @Test
    void shouldSendHeartbeatWhenConnectionIsIdle() {
        delivery.start("WS_HEARTBEAT_INTERVAL", "200ms");
        final WsClient c = delivery.client();
        final JsonNode beat = c.next();
        assertEquals("heartbeat", beat.path("type").asText());
        assertTrue(beat.path("ts").asLong() > 0);
    }

    @Test
    void shouldBatchDataFramesButNeverControlFramesWhenUpdatesPileUpBehindTheSocket() {
        delivery.start("WS_BATCH_MAX", "50", "WS_SOCKET_WINDOW_BYTES", "1");
        final WsClient c = delivery.client().send("{\"op\":\"subscribe\",\"symbols\":[\"*\"]}");
        assertEquals("subscribed", c.next().path("type").asText());
        barrier(c);
        final int stocks = 300;
        final int rounds = 3; // far faster than a one-frame socket window lets out
        for (int seq = 1; seq <= rounds; seq++) {
            for (int s = 0; s < stocks; s++) {
                publish("S" + s, seq);
            }
        }
        final Map<String, Long> last = new HashMap<>();
        int arrays = 0;
        while (last.size() < stocks || last.values().stream().anyMatch(seq -> seq < rounds)) {
            final JsonNode frame = c.next();
            final List<JsonNode> messages = new ArrayList<>();
            if (frame.isArray()) {
                arrays++;
                assertTrue(frame.size() <= 50, "a batch holds at most WS_BATCH_MAX frames");
                frame.forEach(messages::add);
            } else {
                messages.add(frame);
            }
            for (JsonNode m : messages) {
                final String stock = m.path("data").path("stock_id").asText();
                final long seq = m.path("data").path("seq").asLong();
                assertTrue(seq > last.getOrDefault(stock, 0L), "per stock in seq order: " + m);
                last.put(stock, seq);
            }
        }
        assertTrue(arrays > 0, "a burst behind a one-frame socket window is sent in batches");
        c.send("{\"op\":\"list\",\"id\":9}");
        assertFalse(c.next().isArray(), "control frames are never batched");
    }

    @Test
    void shouldAnswer400NamingThrottleWhenItIsOutOfRangeOrWithBars() {
        delivery.start();
        final WsClient c = delivery.client();
        for (String bad : List.of("5", "60001", "-1", "1.5", "\"100\"")) {
            c.send("{\"op\":\"subscribe\",\"id\":1,\"symbols\":[\"AAPL\"],\"throttle_ms\":" + bad + "}");
            assertError(c.next(), 400, "throttle_ms must be 0 (every update) or an integer from 10 to 60000");
        }
        c.send("{\"op\":\"subscribe\",\"id\":2,\"symbols\":[\"AAPL\"],\"bars\":\"1m\",\"throttle_ms\":100}");
        assertError(c.next(), 400, "throttle_ms applies to results, not to bars");
        c.send("{\"op\":\"list\",\"id\":3}");
        assertEquals("[]", c.next().path("symbols").toString(), "nothing was subscribed");
    }

    @Test
    void shouldSendAtMostOneUpdatePerStockPerPeriodAndTheLastOneWhenThrottled() throws InterruptedException {
        delivery.start();
        final WsClient throttled = delivery.client()
                .send("{\"op\":\"subscribe\",\"symbols\":[\"A\",\"B\"],\"throttle_ms\":200}");
        final WsClient every = delivery.client().send("{\"op\":\"subscribe\",\"symbols\":[\"A\"]}");
        throttled.nextOfType("subscribed");
        every.nextOfType("subscribed");
        barrier(throttled);
        barrier(every);
        final long start = System.nanoTime();
        final int updates = 60;
        for (int seq = 1; seq <= updates; seq++) {
            publish("A", seq);
            publish("B", seq);
            Thread.sleep(10);
        }
        final long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        final Map<String, List<JsonNode>> byStock = new HashMap<>();
        for (JsonNode m : throttled.drainFor(Duration.ofMillis(1_000))) {
            if ("update".equals(m.path("type").asText())) {
                byStock.computeIfAbsent(m.path("data").path("stock_id").asText(), k -> new ArrayList<>()).add(m);
            }
        }
        final long periods = elapsedMillis / 200 + 2; // the leading update, then one per period, then the trailing one
        for (String stock : List.of("A", "B")) {
            final List<JsonNode> got = byStock.get(stock);
            assertTrue(got.size() >= 2 && got.size() <= periods, stock + ": " + got.size() + " updates in "
                    + elapsedMillis + " ms at a 200 ms throttle");
            assertEquals(updates, got.get(got.size() - 1).path("data").path("seq").asLong(), "the last value arrives");
            // the last one may follow its predecessor with nothing skipped in between; some update must say so
            assertTrue(got.stream().anyMatch(m -> m.path("conflated").asBoolean()), "it says updates were skipped");
        }
        long seq = 0;
        for (int i = 0; i < updates; i++) {
            final JsonNode m = every.nextOfType("update");
            assertEquals(++seq, m.path("data").path("seq").asLong(), "an unthrottled subscriber gets every update");
        }
    }

    /**
     * The library closes a connection holding the connection's monitor, and the feed fans out holding a stock's: a
     * close that unsubscribed on that thread could wait for the stock while the feed waited for the connection.
     */
    @Test
    void shouldKeepFanningOutWhileSubscribersCloseTheirConnections() throws Exception {
        delivery.start();
        final AtomicLong seq = new AtomicLong();
        final AtomicBoolean feeding = new AtomicBoolean(true);
        final Thread feed = new Thread(() -> {
            while (feeding.get()) {
                publish("HOT", seq.incrementAndGet());
            }
        }, "test-feed");
        feed.start();
        try {
            for (int i = 0; i < 150; i++) {
                try (WsClient c = WsClient.connect(delivery.service().wsPort())) {
                    c.send("{\"op\":\"subscribe\",\"symbols\":[\"HOT\"]}");
                    c.nextOfType("update");
                }
            }
            final long before = seq.get();
            final long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (seq.get() < before + 1_000 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            final long[] deadlocked = ManagementFactory.getThreadMXBean().findDeadlockedThreads();
            assertEquals(null, deadlocked == null ? null : Arrays.toString(deadlocked), "deadlocked threads");
            assertTrue(seq.get() >= before + 1_000, "the feed is stuck at seq " + seq.get());
            final WsClient after = delivery.client().send("{\"op\":\"subscribe\",\"symbols\":[\"HOT\"]}");
            assertEquals("update", after.nextOfType("update").path("type").asText());
        } finally {
            feeding.set(false);
            feed.join(5_000);
        }
    }
}
