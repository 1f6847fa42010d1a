package io.tickflow.delivery;

import com.sun.net.httpserver.HttpExchange;
import io.tickflow.runtime.BearerAuth;
import io.tickflow.runtime.ServiceHttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/bars/{stock_id}?interval=1m&limit=N&before=…} over the {@link BarBook}: final bars oldest first,
 * then the forming bar (only without {@code before}). {@code before} is a bar start (ISO-8601 instant) or a final
 * bar's seq, exclusive: a chart back-fills page by page with the oldest bar it has. Stock ids may contain '/'.
 */
final class BarsApi {
    private static final String ROUTE = "/api/bars/";

    private final BarBook book;
    private final BearerAuth auth;

    BarsApi(final BarBook book, final BearerAuth auth) {
        this.book = book;
        this.auth = auth;
    }

    void register(final ServiceHttpServer http) {
        http.route(ROUTE, auth.protect(HttpApi.get(this::bars)));
    }

    private void bars(final HttpExchange exchange) throws IOException {
        final String stockId = exchange.getRequestURI().getPath().substring(ROUTE.length());
        final Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        final String interval = query.getOrDefault("interval", "1m");
        if (!book.knows(interval)) {
            badRequest(exchange, "interval must be one of " + book.intervalList() + ", was '" + interval + "'");
            return;
        }
        final String limitText = query.get("limit");
        int limit = book.historySize();
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                limit = 0;
            }
            if (limit < 1 || limit > book.historySize()) {
                badRequest(exchange, "limit must be an integer between 1 and " + book.historySize() + ", was '"
                        + limitText + "'");
                return;
            }
        }
        long beforeSeq = Long.MAX_VALUE;
        long beforeStart = Long.MAX_VALUE;
        final String before = query.get("before");
        if (before != null) {
            try {
                if (!before.isEmpty() && before.chars().allMatch(Character::isDigit)) {
                    beforeSeq = Long.parseLong(before);
                } else {
                    beforeStart = Instant.parse(before).toEpochMilli();
                }
            } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
                badRequest(exchange, "before must be a bar start (ISO-8601 instant) or a bar seq, was '" + before
                        + "'");
                return;
            }
        }
        final List<byte[]> bars = book.bars(stockId, interval, limit, beforeSeq, beforeStart);
        if (bars == null) {
            ServiceHttpServer.respondJson(exchange, 404, Map.of("error", "no bars for this stock and interval",
                    "stock_id", stockId, "interval", interval));
            return;
        }
        final ByteArrayOutputStream out = new ByteArrayOutputStream(bars.size() * 600 + 2);
        out.write('[');
        for (int i = 0; i < bars.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(bars.get(i));
        }
        out.write(']');
        ServiceHttpServer.respondRawJson(exchange, 200, out.toByteArray());
    }

    private static Map<String, String> query(final String raw) {
        final Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            final int eq = pair.indexOf('=');
            final String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            final String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(key, value);
        }
        return out;
    }

    private static void badRequest(final HttpExchange exchange, final String message) throws IOException {
        ServiceHttpServer.respondJson(exchange, 400, Map.of("error", message));
    }
}
