package io.tickflow.runtime;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tickflow.model.Json;
import org.eclipse.jetty.http.spi.JettyHttpServer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * The HTTP side every service has: {@code GET /health} (alive), {@code GET /ready} (each named readiness check true),
 * {@code GET /metrics} (Prometheus text format), plus the service's own routes. Counts responses by route and status
 * in {@code http_responses_total}.
 *
 * <p>Handlers are written against the JDK's {@code com.sun.net.httpserver} API, served by Jetty's NIO server through
 * its {@code jetty-http-spi} bridge: request lines and headers are read and parsed by the selector without holding a
 * thread, and only a complete request head is dispatched to one of the {@code threads} handler threads. So a
 * connection that stalls — half a request, or none — costs a connection slot and some buffer, never a handler; the
 * {@link HttpLimits} bound the slots, the time without a byte (idle timeout) and the size of a request head. (The
 * JDK's own server reads the request head on its executor, so idle sockets could hold every handler thread.)
 */
public final class ServiceHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceHttpServer.class);
    private static final int STOP_GRACE_SECONDS = 3;
    /** Threads Jetty leases from the pool besides the handlers: one acceptor, one selector. */
    private static final int IO_THREADS = 2;

    private final HttpServer server;
    private final ServerConnector connector;
    private final HttpLimits limits;
    private volatile BearerAuth metricsAuth = new BearerAuth(AuthTokens.none(), new AuthFailures());
    private final PrometheusRegistry registry;
    private final Counter responses;
    private final Map<String, BooleanSupplier> readiness = new LinkedHashMap<>();
    private final String name;
    private final Object inFlightLock = new Object();
    private int inFlight;
    private volatile boolean closing;

    /** A server with the default {@link HttpLimits}. */
    public ServiceHttpServer(final String name, final String host, final int port, final int threads,
                             final PrometheusRegistry registry) throws IOException {
        this(name, host, port, threads, HttpLimits.DEFAULTS, registry);
    }

    /**
     * @param threads handler threads: requests served at once (requests past it wait, parsed, in a queue bounded by
     *                {@code limits.maxConnections()})
     */
    public ServiceHttpServer(final String name, final String host, final int port, final int threads,
                             final HttpLimits limits, final PrometheusRegistry registry) throws IOException {
        this.name = name;
        this.registry = registry;
        this.limits = limits;
        this.responses = Counter.builder().name("http_responses_total")
                .help("HTTP responses by route and status").labelNames("route", "status").register(registry);
        final int maxThreads = threads + IO_THREADS;
        // The job queue is Jetty's unbounded default: bounded in effect by the connection limit, as an HTTP/1.1
        // connection has at most one request dispatched at a time.
        final QueuedThreadPool pool = new QueuedThreadPool(maxThreads, Math.min(maxThreads, IO_THREADS + 1), 60_000);
        pool.setReservedThreads(0);
        pool.setName(name + "-http");
        pool.setDaemon(true);
        pool.setStopTimeout(2_000);
        final Server jetty = new Server(pool);
        final HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(limits.maxHeaderBytes());
        http.setIdleTimeout(limits.idleTimeout().toMillis());
        http.setSendServerVersion(false);
        // A request whose body has not started does not take a handler thread either (it waits, parsed, for data).
        http.setDelayDispatchUntilContent(true);
        this.connector = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        connector.setAcceptQueueSize(HttpLimits.ACCEPT_QUEUE);
        connector.setAcceptedTcpNoDelay(true);
        jetty.addConnector(connector);
        jetty.addBean(new HttpConnectionCap(limits.maxConnections(), limits.limitedIdleTimeout().toMillis(),
                connector));
        jetty.setHandler(new ContextHandlerCollection(true));
        this.server = new JettyHttpServer(jetty, false, http);
        server.bind(new InetSocketAddress(host, port), HttpLimits.ACCEPT_QUEUE);
        route("/health", exchange -> respondJson(exchange, 200, Map.of("status", "UP")));
        route("/ready", this::ready);
        route("/metrics", this::metrics);
    }

    /**
     * Adds a route: a path prefix, as the JDK server matches contexts ({@code "/api/x/"} takes {@code /api/x/…} only,
     * {@code "/"} everything no other route takes). Call before {@link #start()}.
     */
    public void route(final String path, final HttpHandler handler) {
        if (path.length() > 1 && path.endsWith("/")) {
            // Jetty's context paths have no trailing '/' and match whole segments: context "/api/x" also takes the
            // bare "/api/x", which the JDK server would have left to "/".
            final String context = path.substring(0, path.length() - 1);
            server.createContext(context, exchange -> {
                if (exchange.getRequestURI().getRawPath().startsWith(path)) {
                    handler.handle(exchange);
                } else {
                    respondJson(exchange, 404,
                            Map.of("error", "no such resource: " + exchange.getRequestURI().getPath()));
                }
            }).getFilters().add(new StatusCounter(path));
            return;
        }
        server.createContext(path, handler).getFilters().add(new StatusCounter(path));
    }

    /** Adds a named condition that {@code /ready} requires. */
    public synchronized void readyWhen(final String check, final BooleanSupplier condition) {
        readiness.put(check, condition);
    }

    /** Listens: Jetty binds here, so a port in use is an {@link UncheckedIOException} caused by a BindException. */
    public void start() {
        try {
            server.start();
        } catch (RuntimeException e) {
            if (e.getCause() instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw e;
        }
        LOG.info("{} HTTP listening on {}:{} {}", name, server.getAddress().getHostString(), port(),
                limits.describe());
    }

    /** The bound port (useful when configured with port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /**
     * Drains, then stops: new requests get 503 (with {@code Connection: close}) while those in flight — e.g. waiting for
     * Kafka's acknowledgement — finish, for at most {@value #STOP_GRACE_SECONDS} s; then the connectors and the
     * handler threads stop.
     */
    @Override
    public void close() {
        closing = true;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_GRACE_SECONDS);
        synchronized (inFlightLock) {
            while (inFlight > 0 && System.nanoTime() < deadline) {
                try {
                    inFlightLock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        try {
            server.stop(0);
        } catch (RuntimeException e) {
            LOG.warn("{} HTTP did not stop cleanly", name, e);
        }
    }

    private void ready(final HttpExchange exchange) throws IOException {
        final Map<String, Boolean> checks = new LinkedHashMap<>();
        synchronized (this) {
            readiness.forEach((check, condition) -> checks.put(check, condition.getAsBoolean()));
        }
        final boolean ready = checks.values().stream().allMatch(Boolean::booleanValue);
        respondJson(exchange, ready ? 200 : 503, Map.of("status", ready ? "READY" : "NOT_READY", "checks", checks));
    }

    /** Puts {@code /metrics} behind {@code auth} (METRICS_AUTH_TOKENS); /health and /ready stay open. */
    public void protectMetrics(final BearerAuth auth) {
        this.metricsAuth = auth;
    }

    private void metrics(final HttpExchange exchange) throws IOException {
        if (metricsAuth.check(exchange) != 0) {
            return;
        }
        final ByteArrayOutputStream body = new ByteArrayOutputStream(8192);
        PrometheusTextFormatWriter.create().write(body, registry.scrape());
        exchange.getResponseHeaders().set("Content-Type", PrometheusTextFormatWriter.CONTENT_TYPE);
        respond(exchange, 200, body.toByteArray());
    }

    /** Writes a JSON reply (any Jackson-serialisable value). */
    public static void respondJson(final HttpExchange exchange, final int status, final Object body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        respond(exchange, status, Json.MAPPER.writeValueAsBytes(body));
    }

    /** Writes raw JSON bytes as the reply. */
    public static void respondRawJson(final HttpExchange exchange, final int status, final byte[] json)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        respond(exchange, status, json);
    }

    public static void respond(final HttpExchange exchange, final int status, final byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    public static void respondText(final HttpExchange exchange, final int status, final String body)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        respond(exchange, status, body.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean causedBy(final Throwable t, final Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private final class StatusCounter extends Filter {
        private final String route;

        StatusCounter(final String route) {
            this.route = route;
        }

        @Override
        public void doFilter(final HttpExchange exchange, final Chain chain) throws IOException {
            synchronized (inFlightLock) {
                inFlight++;
            }
            try {
                if (closing) {
                    exchange.getResponseHeaders().set("Connection", "close");
                    respondJson(exchange, 503, Map.of("error", name + " is shutting down"));
                    return;
                }
                chain.doFilter(exchange);
            } catch (IOException e) {
                // The request could not be read (the client stalled past the idle timeout, or sent a broken body) or
                // the answer not written. Without this the exchange's close would send an empty 200.
                LOG.debug("{} {} {} I/O failed: {}", name, exchange.getRequestMethod(), exchange.getRequestURI(),
                        e.toString());
                if (exchange.getResponseCode() < 100) {
                    final boolean timedOut = causedBy(e, TimeoutException.class);
                    exchange.getResponseHeaders().set("Connection", "close");
                    try {
                        respondJson(exchange, timedOut ? 408 : 400, Map.of("error", timedOut
                                ? "request not received within the idle timeout" : "request could not be read"));
                    } catch (IOException | RuntimeException ignored) {
                        // the connection is gone: nothing left to tell
                    }
                }
            } catch (RuntimeException e) {
                LOG.error("{} {} {} failed", name, exchange.getRequestMethod(), exchange.getRequestURI(), e);
                if (exchange.getResponseCode() < 100) { // nothing sent yet (-1 on the JDK's server, 0 on Jetty's)
                    respondJson(exchange, 500, Map.of("error", "internal error"));
                }
            } finally {
                responses.labelValues(route, Integer.toString(exchange.getResponseCode())).inc();
                try {
                    exchange.close();
                } catch (RuntimeException e) {
                    LOG.debug("{} closing the exchange failed: {}", name, e.toString()); // peer gone
                }
                synchronized (inFlightLock) {
                    inFlight--;
                    inFlightLock.notifyAll();
                }
            }
        }

        @Override
        public String description() {
            return "counts responses by status";
        }
    }
}
