package io.tickflow.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.tickflow.delivery.DeliveryFixture.barrier;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bar requests of protocol v1 over real sockets, with bars injected without a broker. */
class BarStreamTest {
    @RegisterExtension
    final DeliveryFixture delivery = new DeliveryFixture();

    private void bar(final byte[] json) {
        delivery.service().barSink().accept(json);
    }

    private static void assertError(final JsonNode m, final int code, final String containing) {
        assertEquals("error", m.path("type").asText(), m::toString);
        assertEquals(code, m.path("code").asInt(), m::toString);
        assertTrue(m.path("message").asText().contains(containing), m::toString);
    }

    private static void assertBar(final JsonNode m, final boolean isFinal, final long seqOrTrades) {
        assertEquals("bar", m.path("type").asText(), m::toString);
        assertEquals(isFinal, m.path("data").path("final").asBoolean(), m::toString);
        assertEquals(seqOrTrades, isFinal ? m.path("data").path("seq").asLong()
                : m.path("data").path("trades").asLong(), m::toString);
    }

    @Test
    void shouldAckWithBarsApartThenSnapshotThenLiveBarsWhenSubscribingToBars() {
        delivery.start();
        for (int seq = 1; seq <= 3; seq++) {
            bar(TestBars.fin("AAPL", seq));
        }
        bar(TestBars.forming("AAPL", 4, 1));
        final WsClient c = delivery.client().send("{\"op\":\"subscribe\",\"symbols\":[\"MSFT\"]}");
        c.nextOfType("subscribed");
        c.send("{\"op\":\"subscribe\",\"id\":1,\"symbols\":[\"AAPL\",\"NVDA\"],\"bars\":\"1m\",\"limit\":2}");
        final JsonNode ack = c.next();
        assertEquals("subscribed", ack.path("type").asText());
        assertEquals(1, ack.path("id").asInt());
        assertEquals("[\"MSFT\"]", ack.path("symbols").toString(), "result subscriptions unchanged");
        assertEquals("{\"1m\":[\"AAPL\",\"NVDA\"]}", ack.path("bars").toString());
        final JsonNode snapshot = c.next(); // NVDA has no bars: no snapshot
        assertEquals("bars", snapshot.path("type").asText());
        assertEquals("AAPL", snapshot.path("symbol").asText());
        assertEquals("1m", snapshot.path("interval").asText());
        assertEquals(3, snapshot.path("data").size(), "2 final bars + the forming one");
        assertEquals(2, snapshot.path("data").get(0).path("seq").asLong());
        assertFalse(snapshot.path("data").get(2).path("final").asBoolean());
        barrier(c);
        bar(TestBars.forming("AAPL", 4, 2));
        bar(TestBars.forming("AAPL", 4, 2 - 1)); // stale
        bar(TestBars.fin("AAPL", 4));
        bar(TestBars.fin("AAPL", 4)); // duplicate
        bar(TestBars.fin("NVDA", 1));
        assertBar(c.next(), false, 2);
        assertBar(c.next(), true, 4);
        final JsonNode nvda = c.next();
        assertBar(nvda, true, 1);
        assertEquals("NVDA", nvda.path("data").path("stock_id").asText());
    }

    @Test
    void shouldStopBarsButKeepResultsWhenUnsubscribingBars() {
        delivery.start();
        final WsClient c = delivery.client().send("{\"op\":\"subscribe\",\"symbols\":[\"AAPL\"]}");
        c.nextOfType("subscribed");
        c.send("{\"op\":\"subscribe\",\"symbols\":[\"AAPL\"],\"bars\":\"1m\"}");
        c.nextOfType("subscribed");
        c.send("{\"op\":\"unsubscribe\",\"id\":2,\"symbols\":[\"AAPL\"],\"bars\":\"1m\"}");
        final JsonNode ack = c.nextOfType("subscribed");
        assertEquals(2, ack.path("id").asInt());
        assertEquals("[\"AAPL\"]", ack.path("symbols").toString());
        assertTrue(ack.path("bars").isMissingNode(), ack::toString);
        bar(TestBars.fin("AAPL", 1));
        delivery.service().sink().accept(TestResults.result("AAPL", 1));
        assertEquals("update", c.next().path("type").asText(), "the bar did not reach the connection");
    }

    @Test
    void shouldReplayFinalsThenFormingOrResetWhenResumingBars() {
        delivery.start("BARS_HISTORY_SIZE", "5");
        for (int seq = 1; seq <= 8; seq++) {
            bar(TestBars.fin("AAPL", seq));
        }
        bar(TestBars.forming("AAPL", 9, 3));
        final WsClient c = delivery.client().send("{\"op\":\"resume\",\"id\":5,\"bars\":\"1m\",\"from\":{\"AAPL\":6}}");
        final JsonNode ack = c.next();
        assertEquals("{\"1m\":[\"AAPL\"]}", ack.path("bars").toString());
        assertBar(c.next(), true, 7);
        assertBar(c.next(), true, 8);
        assertBar(c.next(), false, 3);
        final WsClient d = delivery.client().send("{\"op\":\"resume\",\"bars\":\"1m\",\"limit\":2,\"from\":{\"AAPL\":1}}");
        d.nextOfType("subscribed");
        final JsonNode reset = d.next();
        assertEquals("reset", reset.path("type").asText());
        assertEquals("AAPL", reset.path("symbol").asText());
        assertEquals("1m", reset.path("interval").asText());
        assertEquals(4, reset.path("oldest").asLong());
        final JsonNode snapshot = d.next();
        assertEquals("bars", snapshot.path("type").asText());
        assertEquals(3, snapshot.path("data").size());
        bar(TestBars.fin("AAPL", 9));
        assertBar(d.next(), true, 9);
    }

    @Test
    void shouldAnswer400NamingTheFieldWhenBarRequestIsBad() {
        delivery.start();
        final WsClient c = delivery.client();
        c.send("{\"op\":\"subscribe\",\"id\":1,\"symbols\":[\"AAPL\"],\"bars\":\"2m\"}");
        assertError(c.next(), 400, "bars must be an interval");
        c.send("{\"op\":\"subscribe\",\"symbols\":[\"AAPL\"],\"bars\":1}");
        assertError(c.next(), 400, "bars");
        c.send("{\"op\":\"subscribe\",\"symbols\":[\"*\"],\"bars\":\"1m\"}");
        assertError(c.next(), 400, "symbols");
        c.send("{\"op\":\"subscribe\",\"symbols\":[\"AAPL\"],\"bars\":\"1m\",\"limit\":0}");
        assertError(c.next(), 400, "limit");
        c.send("{\"op\":\"subscribe\",\"symbols\":[\"AAPL\"],\"bars\":\"1m\",\"limit\":100000}");
        assertError(c.next(), 400, "limit");
        c.send("{\"op\":\"resume\",\"bars\":\"1m\",\"from\":{\"AAPL\":-1}}");
        assertError(c.next(), 400, "from.AAPL");
        c.send("{\"op\":\"list\",\"id\":9}");
        final JsonNode list = c.next();
        assertEquals("[]", list.path("symbols").toString());
        assertTrue(list.path("bars").isMissingNode(), "nothing changed");
    }

    @Test
    void shouldCountBarSeriesAgainstTheSubscriptionLimitWhenSubscribing() {
        delivery.start("WS_MAX_SUBSCRIPTIONS", "3");
        final WsClient c = delivery.client().send("{\"op\":\"subscribe\",\"symbols\":[\"AAPL\",\"MSFT\"]}");
        c.nextOfType("subscribed");
        c.send("{\"op\":\"subscribe\",\"symbols\":[\"AAPL\"],\"bars\":\"1m\"}");
        assertEquals("{\"1m\":[\"AAPL\"]}", c.nextOfType("subscribed").path("bars").toString());
        c.send("{\"op\":\"subscribe\",\"symbols\":[\"AAPL\"],\"bars\":\"5m\"}");
        assertError(c.next(), 405, "nothing changed");
        c.send("{\"op\":\"subscribe\",\"symbols\":[\"NVDA\"]}");
        assertError(c.next(), 405, "nothing changed");
        c.send("{\"op\":\"subscribe\",\"symbols\":[\"AAPL\"],\"bars\":\"1m\"}");
        assertEquals("subscribed", c.next().path("type").asText(), "already held: fits");
    }

    @Test
    void shouldNotAllocateSeriesWhenSubscribingToBarsOfUnknownStocks() throws InterruptedException {
        delivery.start();
        final WsClient c = delivery.client().send("{\"op\":\"subscribe\",\"symbols\":[\"GHOST\"],\"bars\":\"1m\"}");
        c.nextOfType("subscribed");
        barrier(c);
        c.close();
        SlowClientTest.awaitTrue(() -> delivery.service().metrics().connections.get() == 0);
        assertEquals(null, delivery.service().bars().series("GHOST", "1m"));
    }
}
