package io.tickflow.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;

import static io.tickflow.delivery.DeliveryFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /api/bars/{stock_id}} over real HTTP. */
class BarsApiTest {
    @RegisterExtension
    final DeliveryFixture delivery = new DeliveryFixture();

    @BeforeEach
    void start() {
        final DeliveryMain service = delivery.start("BARS_HISTORY_SIZE", "6");
        for (int seq = 1; seq <= 8; seq++) {
            service.barSink().accept(TestBars.fin("AAPL", seq));
        }
        service.barSink().accept(TestBars.forming("AAPL", 9, 4));
        service.barSink().accept(TestBars.fin("BRK/B", 1));
    }

    @Test
    void shouldReturnFinalsOldestFirstThenFormingWhenNoCursor() throws Exception {
        final HttpResponse<String> r = delivery.get("/api/bars/AAPL?interval=1m&limit=3");
        assertEquals(200, r.statusCode());
        final JsonNode bars = json(r);
        assertEquals(4, bars.size());
        assertEquals(6, bars.get(0).path("seq").asLong());
        assertEquals(8, bars.get(2).path("seq").asLong());
        assertFalse(bars.get(3).path("final").asBoolean());
        assertEquals(7, json(delivery.get("/api/bars/AAPL")).size(), "default interval 1m, default limit the history size");
        assertEquals(1, json(delivery.get("/api/bars/BRK/B?interval=1m")).size(), "ids may contain '/'");
    }

    @Test
    void shouldPageBackWithoutFormingBarWhenBeforeIsGiven() throws Exception {
        final JsonNode bySeq = json(delivery.get("/api/bars/AAPL?interval=1m&limit=2&before=6"));
        assertEquals(2, bySeq.size());
        assertEquals(4, bySeq.get(0).path("seq").asLong());
        assertEquals(5, bySeq.get(1).path("seq").asLong());
        final JsonNode byStart = json(delivery.get("/api/bars/AAPL?interval=1m&before=2024-06-02T12:06:00Z"));
        assertEquals(3, byStart.size(), "the ring keeps 3..8; bars starting before minute 6 are 3, 4, 5");
        assertTrue(byStart.get(2).path("final").asBoolean());
        assertEquals(5, byStart.get(2).path("seq").asLong());
    }

    @Test
    void shouldAnswer400NamingTheParameterOr404WhenRequestIsBad() throws Exception {
        assertEquals(400, delivery.get("/api/bars/AAPL?interval=2m").statusCode());
        assertTrue(json(delivery.get("/api/bars/AAPL?interval=2m")).path("error").asText().contains("interval"));
        assertTrue(json(delivery.get("/api/bars/AAPL?limit=0")).path("error").asText().contains("limit"));
        assertTrue(json(delivery.get("/api/bars/AAPL?limit=7")).path("error").asText().contains("limit"));
        assertTrue(json(delivery.get("/api/bars/AAPL?before=soon")).path("error").asText().contains("before"));
        assertEquals(404, delivery.get("/api/bars/MSFT?interval=1m").statusCode());
        assertEquals(404, delivery.get("/api/bars/AAPL?interval=5m").statusCode());
        assertEquals(405, delivery.post("/api/bars/AAPL").statusCode());
    }
}
