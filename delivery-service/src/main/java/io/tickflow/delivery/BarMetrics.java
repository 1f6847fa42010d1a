package io.tickflow.delivery;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The bar feed's Prometheus metrics, in the service's registry next to {@link DeliveryMetrics}. */
public final class BarMetrics {
    private final Counter in;
    private final Counter duplicate;
    private final Counter stale;
    private final Counter rejected;

    public BarMetrics(final PrometheusRegistry registry) {
        in = Counter.builder().name("tickflow_bars_in_total")
                .help("Bar records taken into the book, by final (true/false)").labelNames("final").register(registry);
        duplicate = Counter.builder().name("tickflow_bars_duplicate_total")
                .help("Final bars ignored because their seq was not above the series' latest").register(registry);
        stale = Counter.builder().name("tickflow_bars_stale_total")
                .help("Forming bars ignored because a later or final bar of the series was already there")
                .register(registry);
        rejected = Counter.builder().name("tickflow_bars_rejected_total")
                .help("Bar records that could not be read, by reason (the field at fault)").labelNames("reason")
                .register(registry);
    }

    void barIn(final Bar bar, final BarSeries.Outcome outcome) {
        switch (outcome) {
            case NEW -> in.labelValues(Boolean.toString(bar.isFinal())).inc();
            case DUPLICATE -> duplicate.inc();
            case STALE -> stale.inc();
        }
    }

    void rejected(final String reason) {
        rejected.labelValues(reason).inc();
    }

    public long barsIn() {
        return (long) (in.labelValues("true").get() + in.labelValues("false").get());
    }

    public long duplicates() {
        return (long) duplicate.get();
    }

    public long stale() {
        return (long) stale.get();
    }

    public long rejectedFor(final String reason) {
        return (long) rejected.labelValues(reason).get();
    }
}
