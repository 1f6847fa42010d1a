package io.tickflow.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tickflow.model.Json;

import java.io.UncheckedIOException;
import java.util.Collection;

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
