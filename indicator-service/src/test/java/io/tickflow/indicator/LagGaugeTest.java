package io.tickflow.indicator;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LagGaugeTest {
    private final TopicPartition p3 = new TopicPartition(Rig.TICKS, 3);
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final IndicatorMetrics metrics = new IndicatorMetrics(new PrometheusRegistry());
    private final AtomicLong nanos = new AtomicLong(42);
    private final LagGauge lag = new LagGauge(consumer, metrics.consumerLag,
            new ProgressWatch(nanos::get, java.time.Duration.ofSeconds(30)), nanos::get);

    private double lagOf3() {
        return metrics.consumerLag.labelValues("3").get();
    }

    @Test
    void shouldSetEachAssignedPartitionsLagAtMostOnceASecondWhenTheInjectedClockAdvances() {
        consumer.assign(List.of(p3));
        consumer.seek(p3, 10);
        consumer.updateEndOffsets(Map.of(p3, 25L));
        lag.maybeUpdate();
        assertEquals(15.0, lagOf3(), "the first call updates");

        consumer.updateEndOffsets(Map.of(p3, 40L));
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(1) - 1);
        lag.maybeUpdate();
        assertEquals(15.0, lagOf3(), "not within the second");
        nanos.incrementAndGet();
        lag.maybeUpdate();
        assertEquals(30.0, lagOf3());
    }

    @Test
    void shouldRemoveThePartitionsGaugeWhenForgotten() {
        consumer.assign(List.of(p3));
        consumer.seek(p3, 0);
        consumer.updateEndOffsets(Map.of(p3, 5L));
        lag.maybeUpdate();
        lag.forget(List.of(p3));
        assertEquals(0, metrics.consumerLag.collect().getDataPoints().size());
    }
}
