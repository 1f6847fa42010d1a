package io.tickflow.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickflow.model.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A real WebSocket client (the JDK's) that queues every text frame it receives as parsed JSON. */
final class WsTestClient implements WebSocket.Listener, AutoCloseable {
    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private final WebSocket socket;

    WsTestClient(final int port) {
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/"), this)
                .join();
    }

    void send(final String text) {
        socket.sendText(text, true).join();
    }

    /** The next frame matching {@code filter}, skipping others (heartbeats, acks); fails after {@code timeout}. */
    JsonNode next(final Predicate<JsonNode> filter, final Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            final JsonNode frame = frames.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (frame == null) {
                throw new AssertionError("no matching WebSocket frame within " + timeout);
            }
            if (filter.test(frame)) {
                return frame;
            }
        }
    }

    /** Collects result payloads of snapshot/update frames (batches flattened) until {@code done} holds. */
    List<JsonNode> results(final Predicate<List<JsonNode>> done, final Duration timeout) throws InterruptedException {
        final List<JsonNode> results = new ArrayList<>();
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(results)) {
            final JsonNode frame = frames.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (frame == null) {
                throw new AssertionError("timed out after " + timeout + " with " + results.size() + " results");
            }
            if (frame.isArray()) {
                frame.forEach(message -> addResults(message, results)); // a batch of data frames
            } else {
                addResults(frame, results);
            }
        }
        return results;
    }

    private static void addResults(final JsonNode message, final List<JsonNode> results) {
        final String type = message.path("type").asText();
        if (type.equals("update") || type.equals("snapshot")) {
            final JsonNode data = message.get("data");
            if (data.isArray()) {
                data.forEach(results::add);
            } else {
                results.add(data);
            }
        }
    }

    @Override
    public CompletionStage<?> onText(final WebSocket webSocket, final CharSequence data, final boolean last) {
        partial.append(data);
        if (last) {
            try {
                frames.add(Json.MAPPER.readTree(partial.toString()));
            } catch (IOException e) {
                throw new UncheckedIOException("server sent a frame that is not JSON: " + partial, e);
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        socket.abort();
    }
}
