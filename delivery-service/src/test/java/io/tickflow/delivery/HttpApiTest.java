package io.tickflow.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;

import static io.tickflow.delivery.DeliveryFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** REST, config and static routes over real HTTP. */
class HttpApiTest {
    @RegisterExtension
    final DeliveryFixture delivery = new DeliveryFixture();

    @BeforeEach
    void start() {
        final DeliveryMain service = delivery.start("HISTORY_SIZE", "5");
        for (int seq = 1; seq <= 8; seq++) {
            service.sink().accept(TestResults.result("AAPL", seq));
        }
        service.sink().accept(TestResults.result("BRK/B", 1));
    }

    @Test
    void shouldListStocksAndServeLatestWhenStockIsKnown() throws Exception {
        assertEquals("[\"AAPL\",\"BRK/B\"]", delivery.get("/api/stocks").body());
        assertEquals(8, json(delivery.get("/api/indicators/AAPL")).path("seq").asInt());
        assertEquals(1, json(delivery.get("/api/indicators/BRK/B")).path("seq").asInt());
    }

    @Test
    void shouldServeHistoryOldestFirstWhenLimitIsValid() throws Exception {
        final JsonNode all = json(delivery.get("/api/indicators/AAPL/history"));
        assertEquals(5, all.size());
        assertEquals(4, all.get(0).path("seq").asInt());
        final JsonNode two = json(delivery.get("/api/indicators/AAPL/history?limit=2"));
        assertEquals(2, two.size());
        assertEquals(7, two.get(0).path("seq").asInt());
        assertEquals(8, two.get(1).path("seq").asInt());
        assertEquals(1, json(delivery.get("/api/indicators/BRK/B/history?limit=1")).size());
    }

    @Test
    void shouldReply400WhenLimitIsBadAnd404WhenStockIsUnknown() throws Exception {
        assertEquals(400, delivery.get("/api/indicators/AAPL/history?limit=0").statusCode());
        assertEquals(400, delivery.get("/api/indicators/AAPL/history?limit=6").statusCode());
        assertEquals(400, delivery.get("/api/indicators/AAPL/history?limit=x").statusCode());
        final HttpResponse<String> unknown = delivery.get("/api/indicators/NOPE");
        assertEquals(404, unknown.statusCode());
        assertEquals("NOPE", json(unknown).path("stock_id").asText());
        assertEquals(404, delivery.get("/api/indicators/NOPE/history").statusCode());
    }

    @Test
    void shouldTellDashboardTheWebSocketPort() throws Exception {
        assertEquals(delivery.service().wsPort(), json(delivery.get("/api/config")).path("wsPort").asInt());
    }

    @Test
    void shouldServeStaticFilesWithContentTypeAndRefuseTraversal() throws Exception {
        final HttpResponse<String> css = delivery.get("/static/http-api-test.css");
        assertEquals(200, css.statusCode());
        assertTrue(css.headers().firstValue("Content-Type").orElseThrow().startsWith("text/css"));
        final HttpResponse<String> js = delivery.get("/webjars/test-lib/1.0/lib.js");
        assertEquals(200, js.statusCode());
        assertTrue(js.headers().firstValue("Content-Type").orElseThrow().startsWith("text/javascript"));
        assertEquals(404, delivery.get("/static/../logback.xml").statusCode());
        // Jetty refuses an encoded dot segment as ambiguous before any handler sees it.
        assertEquals(400, delivery.get("/static/%2e%2e/logback.xml").statusCode());
        assertEquals(404, delivery.get("/static/missing.css").statusCode());
        assertEquals(404, delivery.get("/static/").statusCode());
        assertEquals(404, delivery.get("/nowhere").statusCode());
        final boolean hasIndex = HttpApi.class.getClassLoader().getResource("dashboard/index.html") != null;
        assertEquals(hasIndex ? 200 : 404, delivery.get("/").statusCode());
    }

    @Test
    void shouldServeHealthAndMetrics() throws Exception {
        assertEquals(200, delivery.get("/health").statusCode());
        assertEquals(200, delivery.get("/ready").statusCode());
        final String metrics = delivery.get("/metrics").body();
        assertTrue(metrics.contains("tickflow_ws_connections"), metrics);
        assertTrue(metrics.contains("tickflow_results_in_total 9.0"), metrics);
    }
}
