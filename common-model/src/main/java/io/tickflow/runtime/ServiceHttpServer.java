package io.tickflow.runtime;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tickflow.model.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The HTTP side every service has: {@code GET /health} (alive), {@code GET /ready} (each named readiness check true),
 * {@code GET /metrics} (Prometheus text format), plus the service's own routes. Counts responses by route and status
 * in {@code http_responses_total}. Built on the JDK's HTTP server: keep-alive, a fixed pool of handler threads.
 */
public final class ServiceHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceHttpServer.class);
    private static final int STOP_GRACE_SECONDS = 3;

    static {
        // TCP_NODELAY on accepted connections: the JDK server writes headers and body separately, and Nagle plus the
        // client's delayed ACK would hold every keep-alive response back ~40 ms. Read once, when the first server
        // of the JVM is made; an explicit -Dsun.net.httpserver.nodelay wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final PrometheusRegistry registry;
    private final Counter responses;
    private final Map<String, BooleanSupplier> readiness = new LinkedHashMap<>();
    private final String name;
    private final Object inFlightLock = new Object();
    private int inFlight;
    private volatile boolean closing;

    public ServiceHttpServer(final String name, final String host, final int port, final int threads,
                             final PrometheusRegistry registry) throws IOException {
        this.name = name;
        this.registry = registry;
        this.responses = Counter.builder().name("http_responses_total")
                .help("HTTP responses by route and status").labelNames("route", "status").register(registry);
        this.server = HttpServer.create(new InetSocketAddress(host, port), 256);
        final AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(threads, r -> {
            final Thread t = new Thread(r, name + "-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        route("/health", exchange -> respondJson(exchange, 200, Map.of("status", "UP")));
        route("/ready", this::ready);
        route("/metrics", this::metrics);
    }

    /** Adds a route (a path prefix, as the JDK server matches contexts). Call before {@link #start()}. */
    public void route(final String path, final HttpHandler handler) {
        server.createContext(path, handler).getFilters().add(new StatusCounter(path));
    }

    /** Adds a named condition that {@code /ready} requires. */
    public synchronized void readyWhen(final String check, final BooleanSupplier condition) {
        readiness.put(check, condition);
    }

    public void start() {
        server.start();
        LOG.info("{} HTTP listening on {}:{}", name, server.getAddress().getHostString(), port());
    }

    /** The bound port (useful when configured with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * Drains, then stops: new requests get 503 (with {@code Connection: close}) while those in flight — e.g. waiting for
     * Kafka's acknowledgement — finish, for at most {@value #STOP_GRACE_SECONDS} s. (The JDK 17 server's own
     * {@code stop(delay)} waits the whole delay even when idle, so the drain is done here.)
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
        server.stop(0);
        executor.shutdown();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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

    private void metrics(final HttpExchange exchange) throws IOException {
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
            } catch (RuntimeException e) {
                LOG.error("{} {} {} failed", name, exchange.getRequestMethod(), exchange.getRequestURI(), e);
                if (exchange.getResponseCode() == -1) {
                    respondJson(exchange, 500, Map.of("error", "internal error"));
                }
            } finally {
                responses.labelValues(route, Integer.toString(exchange.getResponseCode())).inc();
                exchange.close();
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
