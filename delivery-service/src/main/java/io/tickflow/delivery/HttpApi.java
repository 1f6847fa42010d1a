package io.tickflow.delivery;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.tickflow.runtime.BearerAuth;
import io.tickflow.runtime.ServiceHttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The delivery service's HTTP routes on {@link ServiceHttpServer} (which adds /health, /ready, /metrics): the REST
 * API over the {@link StockBook}, the WebSocket port for the dashboard, and the dashboard's static files from the
 * classpath.
 */
final class HttpApi {
    private static final String INDICATORS = "/api/indicators/";
    private static final String HISTORY = "/history";
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "mjs", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "map", "application/json",
            "json", "application/json",
            "png", "image/png",
            "svg", "image/svg+xml",
            "ico", "image/x-icon");

    private final StockBook book;
    private final IntSupplier wsPort;
    private final BearerAuth auth;

    /** @param auth the REST API's bearer check (WS_AUTH_TOKENS); the dashboard's page and files stay open */
    HttpApi(final StockBook book, final IntSupplier wsPort, final BearerAuth auth) {
        this.book = book;
        this.wsPort = wsPort;
        this.auth = auth;
    }

    void register(final ServiceHttpServer http) {
        http.route("/api/stocks", auth.protect(get(exchange ->
                ServiceHttpServer.respondJson(exchange, 200, book.stockIds()))));
        http.route(INDICATORS, auth.protect(get(this::indicators)));
        // open: the dashboard learns here where the WebSocket is and whether to ask for a token
        http.route("/api/config", get(exchange -> ServiceHttpServer.respondJson(exchange, 200,
                Map.of("wsPort", wsPort.getAsInt(), "auth", auth.enabled()))));
        http.route("/static/", get(exchange -> resource(exchange, "/static/", "dashboard/")));
        http.route("/webjars/", get(exchange -> resource(exchange, "/webjars/", "META-INF/resources/webjars/")));
        http.route("/", get(exchange -> {
            if ("/".equals(exchange.getRequestURI().getPath())) {
                serve(exchange, "dashboard/index.html");
            } else {
                notFound(exchange, "no such resource: " + exchange.getRequestURI().getPath());
            }
        }));
    }

    /** {@code /api/indicators/{id}} and {@code /api/indicators/{id}/history?limit=N}; ids may contain '/'. */
    private void indicators(final HttpExchange exchange) throws IOException {
        final String rest = exchange.getRequestURI().getPath().substring(INDICATORS.length());
        if (rest.endsWith(HISTORY) && book.latest(rest).isEmpty()) {
            final String stockId = rest.substring(0, rest.length() - HISTORY.length());
            final Integer limit = limit(exchange);
            if (limit == null) {
                return;
            }
            final List<byte[]> history = book.history(stockId, limit);
            if (history.isEmpty()) {
                unknownStock(exchange, stockId);
                return;
            }
            final ByteArrayOutputStream out = new ByteArrayOutputStream(history.size() * 512 + 2);
            out.write('[');
            for (int i = 0; i < history.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.write(history.get(i));
            }
            out.write(']');
            ServiceHttpServer.respondRawJson(exchange, 200, out.toByteArray());
            return;
        }
        final byte[] latest = book.latest(rest).orElse(null);
        if (latest == null) {
            unknownStock(exchange, rest);
            return;
        }
        ServiceHttpServer.respondRawJson(exchange, 200, latest);
    }

    /** The {@code limit} query parameter (default: the whole history), or {@code null} after replying 400. */
    private Integer limit(final HttpExchange exchange) throws IOException {
        final String query = exchange.getRequestURI().getQuery();
        String value = null;
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("limit=")) {
                    value = pair.substring("limit=".length());
                }
            }
        }
        if (value == null) {
            return book.historySize();
        }
        try {
            final int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= book.historySize()) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        ServiceHttpServer.respondJson(exchange, 400, Map.of("error",
                "limit must be an integer between 1 and " + book.historySize() + ", was '" + value + "'"));
        return null;
    }

    private void resource(final HttpExchange exchange, final String route, final String root) throws IOException {
        final String relative = exchange.getRequestURI().getPath().substring(route.length());
        for (String segment : relative.split("/", -1)) {
            if (segment.isEmpty() || ".".equals(segment) || "..".equals(segment) || segment.contains("\\")) {
                notFound(exchange, "no such resource: " + exchange.getRequestURI().getPath());
                return;
            }
        }
        serve(exchange, root + relative);
    }

    private void serve(final HttpExchange exchange, final String resource) throws IOException {
        final String type = CONTENT_TYPES.get(resource.substring(resource.lastIndexOf('.') + 1));
        final InputStream in = type == null ? null : HttpApi.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            notFound(exchange, "no such resource: " + exchange.getRequestURI().getPath());
            return;
        }
        final byte[] body;
        try (in) {
            body = in.readAllBytes();
        }
        exchange.getResponseHeaders().set("Content-Type", type);
        ServiceHttpServer.respond(exchange, 200, body);
    }

    private static void unknownStock(final HttpExchange exchange, final String stockId) throws IOException {
        ServiceHttpServer.respondJson(exchange, 404, Map.of("error", "unknown stock", "stock_id", stockId));
    }

    private static void notFound(final HttpExchange exchange, final String message) throws IOException {
        ServiceHttpServer.respondJson(exchange, 404, Map.of("error", message));
    }

    /** Answers 405 to anything but GET. */
    static HttpHandler get(final HttpHandler handler) {
        return exchange -> {
            final String method = exchange.getRequestMethod();
            if (!"GET".equals(method)) {
                exchange.getResponseHeaders().set("Allow", "GET");
                ServiceHttpServer.respondJson(exchange, 405, Map.of("error", method + " not allowed: use GET"));
                return;
            }
            handler.handle(exchange);
        };
    }
}
