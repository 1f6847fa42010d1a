package io.tickflow.indicator;

import io.tickflow.indicator.ta.EngineSpec;
import io.tickflow.model.Json;
import io.tickflow.model.Tick;
import io.tickflow.model.TickSanity;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.Producer;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Real lanes of real {@link LaneProcessor}s on a given producer, for the collaborators' unit tests. */
final class TestLanes {
    private TestLanes() {
    }

    /** An exactly-once lane's store: the bar engines in a record of their own. */
    static StateStore stateStore() {
        return stateStore(true);
    }

    static StateStore stateStore(final boolean barEnginesApart) {
        final Admin admin = (Admin) Proxy.newProxyInstance(Admin.class.getClassLoader(), new Class<?>[]{Admin.class},
                (proxy, method, args) -> null);
        return new StateStore(Rig.STATE, new MockConsumer<>("earliest"), admin, barEnginesApart);
    }

    static LaneProcessor laneProcessor(final Producer<byte[], byte[]> producer, final IndicatorMetrics metrics,
                                       final SendFailures failures, final String indicators) {
        return new LaneProcessor(EngineSpec.parse(indicators), TickSanity.DEFAULT, Rig.RESULTS, producer,
                new DeadLetters(producer, Rig.DLQ, metrics, failures), stateStore(), metrics,
                () -> Rig.COMPUTED_MICROS, System::nanoTime, failures, java.util.Optional.empty(), "indicator_bars",
                StockLimits.NONE);
    }

    static WorkerLanes<LaneProcessor.Work, LaneProcessor> of(final Producer<byte[], byte[]> producer,
                                                             final IndicatorMetrics metrics,
                                                             final SendFailures failures) {
        final WorkerLanes.Inflow none = new WorkerLanes.Inflow() {
            @Override
            public void pause() {
            }

            @Override
            public void resume() {
            }
        };
        return new WorkerLanes<>("test", 64, List.of(laneProcessor(producer, metrics, failures, EngineSpec.DEFAULT),
                laneProcessor(producer, metrics, failures, EngineSpec.DEFAULT)), LaneProcessor.Work::key,
                Duration.ofSeconds(10), none);
    }

    static ConsumerRecord<byte[], byte[]> tick(final int partition, final long offset, final String stock) {
        return new ConsumerRecord<>(Rig.TICKS, partition, offset, stock.getBytes(StandardCharsets.UTF_8),
                Json.encodeTick(Tick.of(stock, Instant.parse("2024-06-02T12:00:00Z").plusSeconds(offset),
                        100.0 + offset, 10)));
    }

    static LaneProcessor.Work work(final int partition, final long offset, final String stock) {
        return gated(tick(partition, offset, stock));
    }

    /** A record with the poll thread's verdict ({@link TickGate}, default sanity rule), stamped. */
    static LaneProcessor.Work gated(final ConsumerRecord<byte[], byte[]> record) {
        return new TickGate(TickSanity.DEFAULT).admit(record, 0L, new StreamTimes());
    }
}
