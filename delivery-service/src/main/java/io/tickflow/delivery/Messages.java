package io.tickflow.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tickflow.model.Json;

import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** The server's control frames of WebSocket protocol v1 (see docs/websocket-protocol.md). Never batched. */
final class Messages {
    static final int BAD_REQUEST = 400;
    static final int AUTH_REQUIRED = 401;
    static final int AUTH_FAILED = 402;
    static final int UNKNOWN_STOCK = 404;
    static final int SUBSCRIPTION_LIMIT = 405;
    static final int SLOW_CLIENT = 407;
    static final int RATE_LIMITED = 429;
    static final int INTERNAL = 500;

    private Messages() {
    }

    static Frame subscribed(final JsonNode id, final Collection<String> symbols) {
        final ObjectNode m = message("subscribed", id);
        symbols.forEach(m.putArray("symbols")::add);
        return encode(m);
    }

    /** {@code subscribed} with the bar subscriptions apart, by interval: {@code "bars":{"1m":["AAPL"]}} (if any). */
    static Frame subscribed(final JsonNode id, final Collection<String> symbols,
                            final Map<String, List<String>> bars) {
        final ObjectNode m = message("subscribed", id);
        symbols.forEach(m.putArray("symbols")::add);
        if (!bars.isEmpty()) {
            final ObjectNode byInterval = m.putObject("bars");
            bars.forEach((interval, stocks) -> stocks.forEach(byInterval.putArray(interval)::add));
        }
        return encode(m);
    }

    static Frame barsReset(final String stockId, final String interval, final long fromSeq, final long oldestSeq,
                           final long latestSeq) {
        final ObjectNode m = message("reset", null);
        m.put("symbol", stockId);
        m.put("interval", interval);
        m.put("from", fromSeq);
        m.put("oldest", oldestSeq);
        m.put("latest", latestSeq);
        return encode(m);
    }

    /** The bar snapshot, a data frame: {@code {"type":"bars","symbol":…,"interval":…,"data":[…]}}. */
    static Frame bars(final String stockId, final String interval, final List<Bar> bars) {
        final ObjectNode m = message("bars", null);
        m.put("symbol", stockId);
        m.put("interval", interval);
        final byte[] head;
        try {
            head = Json.MAPPER.writeValueAsBytes(m);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        int size = head.length + 10;
        for (Bar b : bars) {
            size += b.raw().length + 1;
        }
        final ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        out.write(head, 0, head.length - 1); // without the closing brace
        out.writeBytes(",\"data\":[".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < bars.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(bars.get(i).raw());
        }
        out.writeBytes("]}".getBytes(StandardCharsets.US_ASCII));
        return new Frame(out.toByteArray(), Frame.Kind.SNAPSHOT, null);
    }

    static Frame authenticated(final JsonNode id) {
        return encode(message("authenticated", id));
    }

    static Frame error(final JsonNode id, final int code, final String text) {
        final ObjectNode m = message("error", id);
        m.put("code", code);
        m.put("message", text);
        return encode(m);
    }

    static Frame reset(final String stockId, final long fromSeq, final long oldestSeq, final long latestSeq) {
        final ObjectNode m = message("reset", null);
        m.put("symbol", stockId);
        m.put("from", fromSeq);
        m.put("oldest", oldestSeq);
        m.put("latest", latestSeq);
        return encode(m);
    }

    static Frame heartbeat(final long epochMillis) {
        final ObjectNode m = message("heartbeat", null);
        m.put("ts", epochMillis);
        return encode(m);
    }

    private static ObjectNode message(final String type, final JsonNode id) {
        final ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("type", type);
        if (id != null) {
            m.set("id", id);
        }
        return m;
    }

    private static Frame encode(final ObjectNode m) {
        try {
            return Frame.control(Json.MAPPER.writeValueAsBytes(m));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
