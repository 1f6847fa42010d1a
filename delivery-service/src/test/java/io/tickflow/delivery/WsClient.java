package io.tickflow.delivery;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A real WebSocket client (the JDK's) for tests: collects text messages, remembers how the server closed. */
final class WsClient implements WebSocket.Listener, AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    volatile String closeReason;
    private final StringBuilder partial = new StringBuilder();
    private final WebSocket socket;

    private WsClient(final int port) {
        this.socket = HTTP.newWebSocketBuilder().connectTimeout(TIMEOUT)
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/"), this).join();
    }

    static WsClient connect(final int port) {
        return new WsClient(port);
    }

    WsClient send(final String text) {
        socket.sendText(text, true).join();
        return this;
    }

    /** The next message as JSON, failing after the timeout. */
    JsonNode next() {
        try {
            final String m = messages.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (m == null) {
                throw new AssertionError("no message within " + TIMEOUT);
            }
            return Json.MAPPER.readTree(m);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Skips messages until one matches (e.g. past heartbeats), failing after the timeout. */
    JsonNode nextMatching(final Predicate<JsonNode> wanted) {
        final long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            final JsonNode m = next();
            if (wanted.test(m)) {
                return m;
            }
        }
        throw new AssertionError("no matching message within " + TIMEOUT);
    }

    JsonNode nextOfType(final String type) {
        return nextMatching(m -> type.equals(m.path("type").asText()));
    }

    /** Messages that arrive within {@code quiet} of each other, until silence. */
    List<JsonNode> drainFor(final Duration quiet) {
        final List<JsonNode> out = new ArrayList<>();
        try {
            for (String m = messages.poll(quiet.toMillis(), TimeUnit.MILLISECONDS); m != null;
                 m = messages.poll(quiet.toMillis(), TimeUnit.MILLISECONDS)) {
                out.add(Json.MAPPER.readTree(m));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    int awaitClose() {
        try {
            return closeCode.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("not closed within " + TIMEOUT, e);
        }
    }

    @Override
    public CompletionStage<?> onText(final WebSocket webSocket, final CharSequence data, final boolean last) {
        partial.append(data);
        if (last) {
            messages.add(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(final WebSocket webSocket, final int statusCode, final String reason) {
        closeReason = reason;
        closeCode.complete(statusCode);
        return null;
    }

    @Override
    public void onError(final WebSocket webSocket, final Throwable error) {
        closeCode.complete(-1);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(2, TimeUnit.SECONDS)
                    .exceptionally(e -> null).join();
        }
        socket.abort();
    }
}
