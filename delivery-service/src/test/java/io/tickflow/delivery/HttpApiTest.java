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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** REST, config and static routes over real HTTP. */
class HttpApiTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private DeliveryMain service;

    @BeforeEach
    void start() {
        service = DeliveryMain.startWithoutFeed(DeliveryConfig.fromEnv(StreamServerTest.env("HISTORY_SIZE", "5")));
        for (int seq = 1; seq <= 8; seq++) {
            service.sink().accept(TestResults.result("AAPL", seq));
        }
        service.sink().accept(TestResults.result("BRK/B", 1));
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
    void shouldListStocksAndServeLatestWhenStockIsKnown() throws Exception {
        assertEquals("[\"AAPL\",\"BRK/B\"]", get("/api/stocks").body());
        assertEquals(8, json(get("/api/indicators/AAPL")).path("seq").asInt());
        assertEquals(1, json(get("/api/indicators/BRK/B")).path("seq").asInt());
    }

    @Test
    void shouldServeHistoryOldestFirstWhenLimitIsValid() throws Exception {
        final JsonNode all = json(get("/api/indicators/AAPL/history"));
        assertEquals(5, all.size());
        assertEquals(4, all.get(0).path("seq").asInt());
        final JsonNode two = json(get("/api/indicators/AAPL/history?limit=2"));
        assertEquals(2, two.size());
        assertEquals(7, two.get(0).path("seq").asInt());
        assertEquals(8, two.get(1).path("seq").asInt());
        assertEquals(1, json(get("/api/indicators/BRK/B/history?limit=1")).size());
    }

    @Test
    void shouldReply400WhenLimitIsBadAnd404WhenStockIsUnknown() throws Exception {
        assertEquals(400, get("/api/indicators/AAPL/history?limit=0").statusCode());
        assertEquals(400, get("/api/indicators/AAPL/history?limit=6").statusCode());
        assertEquals(400, get("/api/indicators/AAPL/history?limit=x").statusCode());
        final HttpResponse<String> unknown = get("/api/indicators/NOPE");
        assertEquals(404, unknown.statusCode());
        assertEquals("NOPE", json(unknown).path("stock_id").asText());
        assertEquals(404, get("/api/indicators/NOPE/history").statusCode());
    }

    @Test
    void shouldTellDashboardTheWebSocketPort() throws Exception {
        assertEquals(service.wsPort(), json(get("/api/config")).path("wsPort").asInt());
    }

    @Test
    void shouldServeStaticFilesWithContentTypeAndRefuseTraversal() throws Exception {
        final HttpResponse<String> css = get("/static/http-api-test.css");
        assertEquals(200, css.statusCode());
        assertTrue(css.headers().firstValue("Content-Type").orElseThrow().startsWith("text/css"));
        final HttpResponse<String> js = get("/webjars/test-lib/1.0/lib.js");
        assertEquals(200, js.statusCode());
        assertTrue(js.headers().firstValue("Content-Type").orElseThrow().startsWith("text/javascript"));
        assertEquals(404, get("/static/../logback.xml").statusCode());
        // Jetty refuses an encoded dot segment as ambiguous before any handler sees it.
        assertEquals(400, get("/static/%2e%2e/logback.xml").statusCode());
        assertEquals(404, get("/static/missing.css").statusCode());
        assertEquals(404, get("/static/").statusCode());
        assertEquals(404, get("/nowhere").statusCode());
        final boolean hasIndex = HttpApi.class.getClassLoader().getResource("dashboard/index.html") != null;
        assertEquals(hasIndex ? 200 : 404, get("/").statusCode());
    }

    @Test
    void shouldServeHealthAndMetrics() throws Exception {
        assertEquals(200, get("/health").statusCode());
        assertEquals(200, get("/ready").statusCode());
        final String metrics = get("/metrics").body();
        assertTrue(metrics.contains("tickflow_ws_connections"), metrics);
        assertTrue(metrics.contains("tickflow_results_in_total 9.0"), metrics);
    }
}
