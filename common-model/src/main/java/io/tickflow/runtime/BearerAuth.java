package io.tickflow.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The one bearer-token check of the HTTP doors: {@code Authorization: Bearer <token>} against {@link AuthTokens},
 * answering 401 (missing, with {@code WWW-Authenticate}), 403 (not accepted) or 429 (too many wrong tokens from this
 * address lately, {@link AuthFailures}). Off when no tokens are configured. Thread-safe.
 */
public final class BearerAuth {
    private static final int MAX_DRAIN_BYTES = 1 << 20;

    private final AuthTokens tokens;
    private final AuthFailures failures;

    public BearerAuth(final AuthTokens tokens, final AuthFailures failures) {
        this.tokens = tokens;
        this.failures = failures;
    }

    public boolean enabled() {
        return tokens.enabled();
    }

    /** 0 when the request may go on; otherwise the status the request was answered with. */
    public int check(final HttpExchange exchange) throws IOException {
        if (!tokens.enabled()) {
            return 0;
        }
        final var address = exchange.getRemoteAddress().getAddress();
        if (failures.blocked(address)) {
            exchange.getResponseHeaders().set("Retry-After", Long.toString(failures.retryAfterSeconds()));
            return refuse(exchange, 429, "too many wrong tokens from this address; retry later");
        }
        final String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            failures.failed(address);
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            return refuse(exchange, 401, "bearer token required (Authorization: Bearer <token>)");
        }
        if (!tokens.accepts(header.substring(7).trim())) {
            failures.failed(address);
            return refuse(exchange, 403, "bearer token not accepted");
        }
        return 0;
    }

    /** {@code handler} behind this check. */
    public HttpHandler protect(final HttpHandler handler) {
        return exchange -> {
            if (check(exchange) == 0) {
                handler.handle(exchange);
            }
        };
    }

    private static int refuse(final HttpExchange exchange, final int status, final String message) throws IOException {
        // a client that writes its (small) body before reading gets the answer rather than a reset; a big one does not
        // get read for nothing
        try (InputStream body = exchange.getRequestBody()) {
            final byte[] sink = new byte[8192];
            for (int left = MAX_DRAIN_BYTES, n; left > 0 && (n = body.read(sink)) > 0; left -= n) {
                // discard
            }
        }
        ServiceHttpServer.respondJson(exchange, status, Map.of("error", message));
        return status;
    }
}
