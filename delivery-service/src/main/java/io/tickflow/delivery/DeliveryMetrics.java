package io.tickflow.delivery;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The delivery service's Prometheus metrics, registered in the registry it is given (each service has its own: the
 * local stack runs all three in one JVM). Like every service's metrics class: one final field per metric, updated
 * where the event happens (public where the benchmarks read one). Thread-safe.
 */
public final class DeliveryMetrics {
    /** Results taken into the book (new, not duplicates). */
    final Counter resultsIn;
    /** Results ignored because their seq was not above the stock's latest (redos after an aborted transaction). */
    final Counter resultsDuplicate;
    /** Results whose seq went backwards for another tick: the indicator's numbering restarted. */
    final Counter seqRegressions;
    /** Result records that could not be read. */
    final Counter resultsRejected;
    /** Results recorded but not fanned out: the feed was behind and a newer one of the stock followed in its batch. */
    public final Counter resultsConflated;
    /** Results dropped by a limit, by reason ({@code stock_limit}). */
    final Counter resultsDropped;
    /** From the tick's ingest time ({@code ingest_us}) to its result taken into the book. */
    final Histogram tickToDeliveryLatency;
    public final Gauge connections;
    final Counter connectionsRejected;
    /** Frames handed to sockets (a batch counts once). */
    final Counter framesOut;
    public final Counter conflations;
    public final Counter slowClientCloses;
    /** Error frames sent, by code. */
    final Counter errors;

    public DeliveryMetrics(final PrometheusRegistry registry) {
        resultsIn = Counter.builder().name("tickflow_results_in_total")
                .help("Indicator results taken into the book (new, not duplicates)").register(registry);
        resultsDuplicate = Counter.builder().name("tickflow_results_duplicate_total")
                .help("Indicator results ignored because their seq was not above the stock's latest").register(registry);
        seqRegressions = Counter.builder().name("tickflow_results_seq_regressions_total")
                .help("Results whose seq went backwards for a different tick (the stock's history was reset)")
                .register(registry);
        resultsConflated = Counter.builder().name("tickflow_results_conflated_total")
                .help("Results recorded but not fanned out because the feed was behind and a newer one of the stock "
                        + "followed in its poll batch").register(registry);
        resultsDropped = Counter.builder().name("tickflow_results_dropped_total")
                .help("Results dropped by a limit, by reason").labelNames("reason").register(registry);
        resultsRejected = Counter.builder().name("tickflow_results_rejected_total")
                .help("Indicator result records that could not be read").register(registry);
        tickToDeliveryLatency = Histogram.builder().name("tickflow_tick_to_delivery_latency_seconds")
                .help("From the tick's ingest time (the result's ingest_us) to its result taken into delivery's book")
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
        slowClientCloses = Counter.builder().name("tickflow_ws_slow_client_closes_total")
                .help("Connections closed with 407 because their outbound budget was exhausted").register(registry);
        errors = Counter.builder().name("tickflow_ws_errors_total")
                .help("Error frames sent to clients, by code").labelNames("code").register(registry);
    }
}
