package io.tickflow.indicator;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** One lane's handler, called directly (the test thread is its lane thread). */
class LaneProcessorTest {
    private final IndicatorMetrics metrics = new IndicatorMetrics(new PrometheusRegistry());
    private final SendFailures failures = new SendFailures(metrics.sendFailures);
    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
            new ByteArraySerializer());

    private List<ProducerRecord<byte[], byte[]>> stateRecords() {
        return producer.history().stream().filter(r -> r.topic().equals(Rig.STATE)).toList();
    }

    @Test
    void shouldForgetOnlyTheStocksOfTheGivenPartitionsWhenDropped() {
        final LaneProcessor lane = TestLanes.laneProcessor(producer, metrics, failures, "sma:5");
        lane.handle(TestLanes.work(0, 0, "AAPL"));
        lane.handle(TestLanes.work(1, 0, "MSFT"));
        lane.drop(Set.of(0));
        lane.writeState();
        assertEquals(List.of("MSFT"), stateRecords().stream().map(r -> new String(r.key())).toList(),
                "the dropped stock's uncommitted change is gone with it");
        lane.handle(TestLanes.work(0, 1, "AAPL"));
        lane.handle(TestLanes.work(1, 1, "MSFT"));
        lane.writeState();
        final List<StateStore.Saved> saved = stateRecords().stream()
                .map(r -> StateStore.decode(r.key(), r.value())).toList();
        assertEquals(1L, saved.get(1).seq(), "AAPL starts over");
        assertEquals(2L, saved.get(2).seq(), "MSFT carries on");
    }

    @Test
    void shouldForgetEveryStockWhenAllAreDropped() {
        final LaneProcessor lane = TestLanes.laneProcessor(producer, metrics, failures, "sma:5");
        lane.handle(TestLanes.work(0, 0, "AAPL"));
        lane.handle(TestLanes.work(1, 0, "MSFT"));
        lane.dropAll();
        lane.writeState();
        assertEquals(List.of(), stateRecords());
    }

    @Test
    void shouldReturnHowManySnapshotsDidNotFitWhenInstalled() {
        final LaneProcessor before = TestLanes.laneProcessor(producer, metrics, failures, "sma:5");
        before.handle(TestLanes.work(0, 0, "AAPL"));
        before.handle(TestLanes.work(0, 1, "MSFT"));
        before.writeState();
        final List<StateStore.Saved> saved = stateRecords().stream()
                .map(r -> StateStore.decode(r.key(), r.value())).toList();

        assertEquals(0, TestLanes.laneProcessor(producer, metrics, failures, "sma:5").install(saved, new java.util.concurrent.ConcurrentHashMap<>()));
        final LaneProcessor changed = TestLanes.laneProcessor(producer, metrics, failures, "ema:5");
        assertEquals(2, changed.install(saved, new java.util.concurrent.ConcurrentHashMap<>()));
        changed.handle(TestLanes.work(0, 2, "AAPL"));
        changed.writeState();
        final List<ProducerRecord<byte[], byte[]>> after = stateRecords();
        assertEquals(2L, StateStore.decode(after.get(2).key(), after.get(2).value()).seq(),
                "seq carries on though the indicators warm up anew");
    }
}
