package io.tickflow.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickflow.model.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every door of the delivery service when tokens are configured: REST, /metrics, the WebSocket's origin and auth. */
class DeliveryAuthTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private DeliveryMain service;

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    private void start(final String... pairs) {
        service = DeliveryMain.startWithoutFeed(DeliveryConfig.fromEnv(DeliveryFixture.env(pairs)));
        service.sink().accept(TestResults.result("AAPL", 1));
    }

    private HttpResponse<String> get(final String path, final String token) throws Exception {
        final HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + service.httpPort() + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Opens a WebSocket with this Origin (null: none, as a non-browser client). */
    private WebSocket open(final String origin) {
        final WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (origin != null) {
            builder.header("Origin", origin);
        }
        return builder.buildAsync(URI.create("ws://127.0.0.1:" + service.wsPort() + "/"), new WebSocket.Listener() {
        }).orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Test
    void shouldRequireTheBearerTokenOnTheRestApiButKeepHealthAndThePageOpen() throws Exception {
        start("WS_AUTH_TOKENS", "s3cret");
        assertEquals(401, get("/api/stocks", null).statusCode());
        assertEquals(403, get("/api/indicators/AAPL", "nope").statusCode());
        assertEquals(401, get("/api/bars/AAPL?interval=1m", null).statusCode());
        assertEquals(200, get("/api/indicators/AAPL", "s3cret").statusCode());
        assertEquals(200, get("/health", null).statusCode());
        assertEquals(200, get("/", null).statusCode(), "the page holds no data; it asks for the token");
        final JsonNode config = Json.MAPPER.readTree(get("/api/config", null).body());
        assertTrue(config.path("auth").asBoolean(), "the page learns that it must ask for a token");
        assertEquals(200, get("/metrics", null).statusCode(), "/metrics has its own token, unset here");
    }

    @Test
    void shouldPutMetricsBehindItsOwnToken() throws Exception {
        start("METRICS_AUTH_TOKENS", "scraper");
        assertEquals(401, get("/metrics", null).statusCode());
        assertEquals(403, get("/metrics", "s3cret").statusCode());
        assertEquals(200, get("/metrics", "scraper").statusCode());
        assertEquals(200, get("/api/stocks", null).statusCode(), "REST stays open without WS_AUTH_TOKENS");
        assertEquals(200, get("/ready", null).statusCode());
    }

    @Test
    void shouldRefuseAWebSocketFromAnotherSitesPageButAcceptTheDashboardsAndNonBrowsers() {
        start();
        final CompletionException refused = assertThrows(CompletionException.class,
                () -> open("http://evil.example"));
        assertTrue(refused.getCause() instanceof java.net.http.WebSocketHandshakeException, refused.toString());
        open("http://127.0.0.1:8080").abort(); // the dashboard: same host, its own port
        open(null).abort(); // kcat-like tools and the examples send no Origin
    }

    @Test
    void shouldAcceptListedOriginsOnlyWhenConfigured() {
        start("WS_ALLOWED_ORIGINS", "https://desk.example.com");
        open("https://desk.example.com").abort();
        assertThrows(CompletionException.class, () -> open("http://127.0.0.1:8080"));
    }

    @Test
    void shouldRefuseTheRestApiToAnAddressAfterTooManyWrongTokens() throws Exception {
        start("WS_AUTH_TOKENS", "s3cret");
        for (int i = 0; i < 10; i++) {
            assertEquals(403, get("/api/stocks", "guess-" + i).statusCode());
        }
        final HttpResponse<String> limited = get("/api/stocks", "s3cret");
        assertEquals(429, limited.statusCode());
        assertTrue(limited.headers().firstValue("Retry-After").isPresent());
        assertThrows(CompletionException.class, () -> open(null), "the WebSocket shares the count");
    }
}
