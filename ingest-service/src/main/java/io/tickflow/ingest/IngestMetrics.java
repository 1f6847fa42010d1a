package io.tickflow.ingest;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The ingest service's Prometheus metrics, registered in the registry it is given (each service has its own: the
 * local stack runs all three in one JVM). Like every service's metrics class: one final field per metric, updated
 * where the event happens. Thread-safe.
 */
public final class IngestMetrics {
    /** Ticks Kafka acknowledged, by source ({@code http}, {@code simulate}, {@code replay}). */
    final Counter ticksPublished;
    /** Ticks refused, by reason: the bad field, {@code malformed}, or {@code batch} for good ticks of a bad request. */
    final Counter ticksRejected;
    /** Sends Kafka did not acknowledge (each one also logged, rate-limited). */
    final Counter publishFailures;
    /** {@code POST /ticks} latency from request to response, by status. */
    final Histogram requestLatency;

    public IngestMetrics(final PrometheusRegistry registry) {
        ticksPublished = Counter.builder().name("tickflow_ticks_published_total")
                .help("Ticks published to Kafka and acknowledged, by source").labelNames("source").register(registry);
        ticksRejected = Counter.builder().name("tickflow_ticks_rejected_total")
                .help("Ticks refused by the gateway, by reason").labelNames("reason").register(registry);
        publishFailures = Counter.builder().name("tickflow_publish_failures_total")
                .help("Ticks Kafka did not acknowledge").register(registry);
        requestLatency = Histogram.builder().name("tickflow_ingest_request_latency_seconds")
                .help("POST /ticks latency, request to response").labelNames("status").classicOnly()
                .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                .register(registry);
    }
}
