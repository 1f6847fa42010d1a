package io.tickflow.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickflow.model.Json;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Test fixture ({@code @RegisterExtension}): a delivery service without its Kafka feed on 127.0.0.1, port 0, and the
 * WebSocket clients a test opens; after each test the clients and then the service are closed.
 */
final class DeliveryFixture implements AfterEachCallback {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<AutoCloseable> open = new ArrayList<>();
    private DeliveryMain service;

    /** The environment of a test service: loopback, port 0, plus {@code pairs} (key, value, key, value, …). */
    static Map<String, String> env(final String... pairs) {
        final Map<String, String> env = new HashMap<>(Map.of("HTTP_HOST", "127.0.0.1", "HTTP_PORT", "0",
                "WS_HOST", "127.0.0.1", "WS_PORT", "0"));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    /** Starts the service with {@link #env} of {@code pairs}. */
    DeliveryMain start(final String... pairs) {
        service = DeliveryMain.startWithoutFeed(DeliveryConfig.fromEnv(env(pairs)));
        return service;
    }

    DeliveryMain service() {
        return service;
    }

    /** A WebSocket client of the service, closed after the test. */
    WsClient client() {
        final WsClient c = WsClient.connect(service.wsPort());
        open.add(c);
        return c;
    }

    /** Replies come in order: once the list reply is here, every earlier op of this client has been applied. */
    static void barrier(final WsClient c) {
        c.send("{\"op\":\"list\",\"id\":\"barrier\"}");
        c.nextMatching(m -> "barrier".equals(m.path("id").asText()));
    }

    /** GET {@code path} of the service's HTTP port. */
    HttpResponse<String> get(final String path) throws IOException, InterruptedException {
        return HTTP.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POST {@code path} of the service's HTTP port, without a body. */
    HttpResponse<String> post(final String path) throws IOException, InterruptedException {
        return HTTP.send(request(path).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(final String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + path));
    }

    static JsonNode json(final HttpResponse<String> response) throws IOException {
        return Json.MAPPER.readTree(response.body());
    }

    @Override
    public void afterEach(final ExtensionContext context) throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        open.clear();
        if (service != null) {
            service.close();
            service = null;
        }
    }
}
