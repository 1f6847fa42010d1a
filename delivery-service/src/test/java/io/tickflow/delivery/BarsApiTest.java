package io.tickflow.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickflow.model.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /api/bars/{stock_id}} over real HTTP. */
class BarsApiTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private DeliveryMain service;

    @BeforeEach
    void start() {
        service = DeliveryMain.startWithoutFeed(DeliveryConfig.fromEnv(StreamServerTest.env(
                "BARS_HISTORY_SIZE", "6")));
        for (int seq = 1; seq <= 8; seq++) {
            service.barSink().accept(TestBars.fin("AAPL", seq));
        }
        service.barSink().accept(TestBars.forming("AAPL", 9, 4));
        service.barSink().accept(TestBars.fin("BRK/B", 1));
    }

    @AfterEach
    void stop() {
        service.close();
    }

    private HttpResponse<String> get(final String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(final HttpResponse<String> response) throws Exception {
        return Json.MAPPER.readTree(response.body());
    }

    @Test
    void shouldReturnFinalsOldestFirstThenFormingWhenNoCursor() throws Exception {
        final HttpResponse<String> r = get("/api/bars/AAPL?interval=1m&limit=3");
        assertEquals(200, r.statusCode());
        final JsonNode bars = json(r);
        assertEquals(4, bars.size());
        assertEquals(6, bars.get(0).path("seq").asLong());
        assertEquals(8, bars.get(2).path("seq").asLong());
        assertFalse(bars.get(3).path("final").asBoolean());
        assertEquals(7, json(get("/api/bars/AAPL")).size(), "default interval 1m, default limit the history size");
        assertEquals(1, json(get("/api/bars/BRK/B?interval=1m")).size(), "ids may contain '/'");
    }

    @Test
    void shouldPageBackWithoutFormingBarWhenBeforeIsGiven() throws Exception {
        final JsonNode bySeq = json(get("/api/bars/AAPL?interval=1m&limit=2&before=6"));
        assertEquals(2, bySeq.size());
        assertEquals(4, bySeq.get(0).path("seq").asLong());
        assertEquals(5, bySeq.get(1).path("seq").asLong());
        final JsonNode byStart = json(get("/api/bars/AAPL?interval=1m&before=2024-06-02T12:06:00Z"));
        assertEquals(3, byStart.size(), "the ring keeps 3..8; bars starting before minute 6 are 3, 4, 5");
        assertTrue(byStart.get(2).path("final").asBoolean());
        assertEquals(5, byStart.get(2).path("seq").asLong());
    }

    @Test
    void shouldAnswer400NamingTheParameterOr404WhenRequestIsBad() throws Exception {
        assertEquals(400, get("/api/bars/AAPL?interval=2m").statusCode());
        assertTrue(json(get("/api/bars/AAPL?interval=2m")).path("error").asText().contains("interval"));
        assertTrue(json(get("/api/bars/AAPL?limit=0")).path("error").asText().contains("limit"));
        assertTrue(json(get("/api/bars/AAPL?limit=7")).path("error").asText().contains("limit"));
        assertTrue(json(get("/api/bars/AAPL?before=soon")).path("error").asText().contains("before"));
        assertEquals(404, get("/api/bars/MSFT?interval=1m").statusCode());
        assertEquals(404, get("/api/bars/AAPL?interval=5m").statusCode());
        assertEquals(405, HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort()
                        + "/api/bars/AAPL")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
    }
}
