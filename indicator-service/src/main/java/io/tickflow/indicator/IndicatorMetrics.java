package io.tickflow.indicator;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The indicator service's Prometheus metrics, registered in the registry it is given (each service has its own: the
 * local stack runs all three in one JVM). Like every service's metrics class: one final field per metric, updated
 * where the event happens. Thread-safe.
 */
final class IndicatorMetrics {
    private static final double[] LATENCY_BUCKETS = {
            0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

    final Counter ticksConsumed;
    final Counter resultsOut;
    final Counter barsOut;
    final Counter stocksEvicted;
    final Counter deadLettered;
    final Counter outOfOrder;
    final Counter replaySkipped;
    final Counter sendFailures;
    final Counter transactions;
    final Counter statesRestored;
    final Counter snapshotsUnrestorable;
    final Histogram processingLatency;
    final Histogram tickToResultLatency;
    final Histogram commitDuration;
    final Histogram commitPause;
    final Gauge consumerLag;

    IndicatorMetrics(final PrometheusRegistry registry) {
        ticksConsumed = Counter.builder().name("tickflow_ticks_consumed_total")
                .help("Tick records consumed from the ticks topic").register(registry);
        resultsOut = Counter.builder().name("tickflow_results_out_total")
                .help("Indicator results written").register(registry);
        stocksEvicted = Counter.builder().name("tickflow_stocks_evicted_total")
                .help("Stocks forgotten after STOCK_IDLE_EVICT without a tick (a state tombstone each)")
                .register(registry);
        barsOut = Counter.builder().name("tickflow_bars_out_total")
                .help("Bar records written, by final (true: the one final record of a bar; false: a forming update)")
                .labelNames("final").register(registry);
        deadLettered = Counter.builder().name("tickflow_ticks_dead_lettered_total")
                .help("Tick records sent to the dead-letter topic, by reason").labelNames("reason").register(registry);
        outOfOrder = Counter.builder().name("tickflow_ticks_out_of_order_total")
                .help("Ticks whose timestamp is older than their stock's previous tick (processed in Kafka order)")
                .register(registry);
        replaySkipped = Counter.builder().name("tickflow_ticks_replay_skipped_total")
                .help("Replayed ticks skipped because the restored state already contains them").register(registry);
        sendFailures = Counter.builder().name("tickflow_producer_send_failures_total")
                .help("Producer sends that failed, by topic kind").labelNames("kind").register(registry);
        transactions = Counter.builder().name("tickflow_commits_total")
                .help("Commits (transactions in exactly-once mode) by outcome").labelNames("outcome")
                .register(registry);
        statesRestored = Counter.builder().name("tickflow_states_restored_total")
                .help("Per-stock states restored from the changelog").register(registry);
        snapshotsUnrestorable = Counter.builder().name("tickflow_state_snapshots_unrestorable_total")
                .help("Restored per-stock states whose indicator snapshot did not fit the configured INDICATORS: "
                        + "seq and replay boundary kept, indicators warm up anew").register(registry);
        processingLatency = Histogram.builder().name("tickflow_processing_latency_seconds")
                .help("From the poll that returned a tick to its result handed to the producer")
                .classicOnly().classicUpperBounds(LATENCY_BUCKETS).register(registry);
        tickToResultLatency = Histogram.builder().name("tickflow_tick_to_result_latency_seconds")
                .help("From the tick's ingest time (ingest_us, else its Kafka timestamp) to its result computed")
                .classicOnly().classicUpperBounds(LATENCY_BUCKETS).register(registry);
        commitDuration = Histogram.builder().name("tickflow_commit_duration_seconds")
                .help("Time to commit one interval's work (lane barrier, state records, offsets, commit)")
                .classicOnly().classicUpperBounds(LATENCY_BUCKETS).register(registry);
        commitPause = Histogram.builder().name("tickflow_commit_pause_seconds")
                .help("Time the poll loop waits for one commit before the next interval may begin: with "
                        + "exactly_once a lane barrier, a flush of the results and the state records (the offsets and "
                        + "the end of the transaction overlap the next interval); with at_least_once the whole commit")
                .classicOnly().classicUpperBounds(LATENCY_BUCKETS).register(registry);
        consumerLag = Gauge.builder().name("tickflow_consumer_lag")
                .help("Records behind the end of each assigned ticks partition").labelNames("partition")
                .register(registry);
    }
}
