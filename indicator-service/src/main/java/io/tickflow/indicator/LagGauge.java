package io.tickflow.indicator;

import io.prometheus.metrics.core.metrics.Gauge;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The consumer lag of each assigned ticks partition, refreshed at most once a second; a lag tells the
 * {@link ProgressWatch} that work waits. Poll thread only.
 */
final class LagGauge {
    private static final long EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Consumer<byte[], byte[]> consumer;
    private final Gauge gauge;
    private final LongSupplier nanoTime;
    private final ProgressWatch progress;
    private long nextNanos;

    LagGauge(final Consumer<byte[], byte[]> consumer, final Gauge gauge, final ProgressWatch progress,
             final LongSupplier nanoTime) {
        this.consumer = consumer;
        this.gauge = gauge;
        this.progress = progress;
        this.nanoTime = nanoTime;
        this.nextNanos = nanoTime.getAsLong();
    }

    /** Sets each assigned partition's lag when a second has passed since the last time. */
    void maybeUpdate() {
        final long now = nanoTime.getAsLong();
        if (now - nextNanos < 0) {
            return;
        }
        nextNanos = now + EVERY_NANOS;
        for (TopicPartition tp : consumer.assignment()) {
            final OptionalLong lag = consumer.currentLag(tp);
            if (lag.isPresent()) {
                gauge.labelValues(Integer.toString(tp.partition())).set(lag.getAsLong());
                if (lag.getAsLong() > 0) {
                    progress.waiting();
                }
            }
        }
    }

    /** Removes the gauges of partitions that are no longer ours. */
    void forget(final Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            gauge.remove(Integer.toString(tp.partition()));
        }
    }
}
