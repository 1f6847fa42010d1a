package io.tickflow.local;

import io.tickflow.runtime.HeldSockets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.tickflow.local.IndicatorTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15 (2) on the whole stack: 200 stalled connections on every port at once — the three services' HTTP ports
 * (the ingest gateway, delivery REST + dashboard, /health of each) and the delivery WebSocket port — and every port
 * still answers a real client within 1 s.
 */
class OpsStalledConnectionsIT {
    private static final int STALLED = 200;
    @RegisterExtension
    static final LocalStackExtension STACK = new LocalStackExtension();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final HeldSockets stalled = new HeldSockets();

    @AfterEach
    void closeStalled() throws IOException {
        stalled.close();
    }

    @Test
    void shouldAnswerOnEveryPortWithinOneSecondWhen200ConnectionsStallOnEach() throws Exception {
        await("delivery ready", Duration.ofSeconds(60), () -> status(STACK.deliveryHttpPort(), "/ready") == 200);
        final Map<String, Integer> httpPorts = new LinkedHashMap<>();
        httpPorts.put("ingest", STACK.ingestHttpPort());
        httpPorts.put("indicator", STACK.indicatorHttpPort());
        httpPorts.put("delivery", STACK.deliveryHttpPort());
        for (int port : httpPorts.values()) {
            for (int i = 0; i < STALLED; i++) {
                stalled.open(port, "POST /ticks HTTP/1.1\r\nHost: x\r\n");
            }
        }
        for (int i = 0; i < STALLED; i++) {
            stalled.open(STACK.deliveryWsPort(), "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n");
        }

        for (Map.Entry<String, Integer> service : httpPorts.entrySet()) {
            final long began = System.nanoTime();
            assertEquals(200, status(service.getValue(), "/health"), service.getKey());
            final long millis = (System.nanoTime() - began) / 1_000_000;
            System.out.printf("%s GET /health with %d stalled connections on each port: %d ms%n",
                    service.getKey(), STALLED, millis);
            assertTrue(millis < 1_000, service.getKey() + " /health took " + millis + " ms");
        }
        final long restBegan = System.nanoTime();
        assertEquals(200, status(STACK.deliveryHttpPort(), "/api/stocks"));
        final long restMillis = (System.nanoTime() - restBegan) / 1_000_000;
        System.out.printf("delivery GET /api/stocks: %d ms%n", restMillis);
        assertTrue(restMillis < 1_000, "/api/stocks took " + restMillis + " ms");

        final long wsBegan = System.nanoTime();
        try (WsTestClient client = new WsTestClient(STACK.deliveryWsPort())) {
            client.send("{\"op\":\"list\",\"id\":\"stalled\"}");
            client.next(m -> "stalled".equals(m.path("id").asText()), Duration.ofSeconds(5));
        }
        final long wsMillis = (System.nanoTime() - wsBegan) / 1_000_000;
        System.out.printf("delivery WebSocket handshake + first reply: %d ms%n", wsMillis);
        assertTrue(wsMillis < 1_000, "WebSocket took " + wsMillis + " ms");
    }

    private int status(final int port, final String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
