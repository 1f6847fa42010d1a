package io.tickflow.runtime;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one client connection may cost a service's HTTP port ({@link ServiceHttpServer}), read the same way by every
 * service ({@link #fromEnv}). No connection holds a handler thread before its request line and headers are complete.
 *
 * @param maxConnections  {@code HTTP_MAX_CONNECTIONS}: open connections per server, stalled or not; at the limit the
 *                        server stops accepting (new connections wait in the kernel's accept queue of
 *                        {@link #ACCEPT_QUEUE} and are served as slots free up) and the idle timeout of the connections
 *                        it holds drops to {@link #limitedIdleTimeout()}, so stalled ones free their slots quickly
 * @param idleTimeout     {@code HTTP_IDLE_TIMEOUT}: the read deadline — a connection on which no byte arrives for
 *                        this long (request line, headers, body, or between keep-alive requests) is closed
 * @param maxHeaderBytes  {@code HTTP_MAX_HEADER_BYTES}: request line plus headers; larger answers 431 (a request line
 *                        alone past it answers 414) and the connection is closed
 */
public record HttpLimits(int maxConnections, Duration idleTimeout, int maxHeaderBytes) {
    /** Kernel accept queue (listen backlog) of every HTTP port. */
    public static final int ACCEPT_QUEUE = 256;
    /** The idle timeout of held connections while a server is at its connection limit (or less, if configured so). */
    public static final Duration AT_LIMIT_IDLE_TIMEOUT = Duration.ofSeconds(1);
    public static final HttpLimits DEFAULTS = new HttpLimits(1_000, Duration.ofSeconds(30), 8_192);

    public HttpLimits {
        if (maxConnections < 1) {
            throw new ConfigException("HTTP_MAX_CONNECTIONS=" + maxConnections + ": must be at least 1");
        }
        if (idleTimeout.toMillis() < 1) {
            throw new ConfigException("HTTP_IDLE_TIMEOUT=" + idleTimeout.toMillis() + "ms: must be at least 1ms");
        }
        if (maxHeaderBytes < 1_024) {
            throw new ConfigException("HTTP_MAX_HEADER_BYTES=" + maxHeaderBytes + ": must be at least 1024");
        }
    }

    public static HttpLimits fromEnv(final Env env) {
        return new HttpLimits(
                env.integer("HTTP_MAX_CONNECTIONS", DEFAULTS.maxConnections(), 1, 1_000_000),
                env.duration("HTTP_IDLE_TIMEOUT", DEFAULTS.idleTimeout()),
                env.integer("HTTP_MAX_HEADER_BYTES", DEFAULTS.maxHeaderBytes(), 1_024, 1 << 20));
    }

    /** The idle timeout applied to held connections while the server is at {@link #maxConnections()}. */
    public Duration limitedIdleTimeout() {
        return idleTimeout.compareTo(AT_LIMIT_IDLE_TIMEOUT) < 0 ? idleTimeout : AT_LIMIT_IDLE_TIMEOUT;
    }

    /** For start-up log lines. */
    /** The limits' keys and values, for the effective-config line at start. */
    public Map<String, Object> settings() {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("HTTP_MAX_CONNECTIONS", maxConnections);
        out.put("HTTP_IDLE_TIMEOUT", idleTimeout.toMillis() + "ms");
        out.put("HTTP_MAX_HEADER_BYTES", maxHeaderBytes);
        return out;
    }

    public String describe() {
        return "maxConnections=" + maxConnections + " idleTimeoutMs=" + idleTimeout.toMillis()
                + " maxHeaderBytes=" + maxHeaderBytes;
    }
}
