package io.tickflow.delivery;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The delivery service's Prometheus metrics, registered in the service's own registry. */
public final class DeliveryMetrics {
    private final Counter resultsIn;
    private final Counter resultsDuplicate;
    private final Counter resultsRejected;
    private final Histogram endToEnd;
    private final Gauge connections;
    private final Counter connectionsRejected;
    private final Counter framesOut;
    private final Counter conflations;
    private final Counter slowCloses;
    private final Counter errors;

    public DeliveryMetrics(final PrometheusRegistry registry) {
        resultsIn = Counter.builder().name("tickflow_results_in_total")
                .help("Indicator results taken into the book (new, not duplicates)").register(registry);
        resultsDuplicate = Counter.builder().name("tickflow_results_duplicate_total")
                .help("Indicator results ignored because their seq was not above the stock's latest").register(registry);
        resultsRejected = Counter.builder().name("tickflow_results_rejected_total")
                .help("Indicator result records that could not be read").register(registry);
        endToEnd = Histogram.builder().name("tickflow_end_to_end_latency_seconds")
                .help("Tick ingest to result arrival in delivery (from the result's ingest_us)")
                .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                .classicOnly().register(registry);
        connections = Gauge.builder().name("tickflow_ws_connections")
                .help("Open WebSocket connections").register(registry);
        connectionsRejected = Counter.builder().name("tickflow_ws_connections_rejected_total")
                .help("WebSocket connections refused because the connection limit was reached").register(registry);
        framesOut = Counter.builder().name("tickflow_ws_frames_out_total")
                .help("WebSocket frames handed to sockets (a batch counts once)").register(registry);
        conflations = Counter.builder().name("tickflow_ws_conflations_total")
                .help("Updates dropped for a slow connection because a newer one of the same stock superseded them")
                .register(registry);
        slowCloses = Counter.builder().name("tickflow_ws_slow_client_closes_total")
                .help("Connections closed with 407 because their outbound budget was exhausted").register(registry);
        errors = Counter.builder().name("tickflow_ws_errors_total")
                .help("Error frames sent to clients, by code").labelNames("code").register(registry);
    }

    void resultIn(final boolean fresh, final long ingestMicros) {
        if (!fresh) {
            resultsDuplicate.inc();
            return;
        }
        resultsIn.inc();
        if (ingestMicros > 0) {
            final long nowMicros = System.currentTimeMillis() * 1_000L;
            endToEnd.observe(Math.max(0L, nowMicros - ingestMicros) / 1e6);
        }
    }

    void resultRejected() {
        resultsRejected.inc();
    }

    void connectionOpened() {
        connections.inc();
    }

    void connectionClosed() {
        connections.dec();
    }

    void connectionRejected() {
        connectionsRejected.inc();
    }

    void frameOut() {
        framesOut.inc();
    }

    void conflated() {
        conflations.inc();
    }

    void slowClientClosed() {
        slowCloses.inc();
    }

    void error(final int code) {
        errors.labelValues(Integer.toString(code)).inc();
    }

    public long conflations() {
        return (long) conflations.get();
    }

    public long slowClientCloses() {
        return (long) slowCloses.get();
    }

    public long connections() {
        return (long) connections.get();
    }

    public long framesOut() {
        return (long) framesOut.get();
    }

    public long resultsIn() {
        return (long) resultsIn.get();
    }

    public long resultsDuplicate() {
        return (long) resultsDuplicate.get();
    }
}
