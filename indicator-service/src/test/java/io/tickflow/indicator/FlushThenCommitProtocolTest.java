package io.tickflow.indicator;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlushThenCommitProtocolTest {
    private final IndicatorMetrics metrics = new IndicatorMetrics(new PrometheusRegistry());
    private final SendFailures failures = new SendFailures(metrics.sendFailures);
    /** Not auto-completing: a send completes only when flushed. */
    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(),
            new ByteArraySerializer());
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final WorkerLanes<LaneProcessor.Work, LaneProcessor> lanes = TestLanes.of(producer, metrics, failures);
    private final FlushThenCommitProtocol protocol = new FlushThenCommitProtocol(producer, consumer, lanes, failures,
            new CommittedPoint());

    @AfterEach
    void closeLanes() {
        lanes.close();
    }

    @Test
    void shouldFlushResultsAndStateThenCommitTheOffsetsWhenCommitted() throws Exception {
        consumer.assign(List.of(Rig.tp(1)));
        protocol.init();
        protocol.begin();
        lanes.submit(TestLanes.work(1, 0, "AAPL"));
        lanes.submit(TestLanes.work(1, 1, "AAPL"));
        lanes.handOver(() -> 1_000_000L, w -> { });
        protocol.commit(Map.of(Rig.tp(1), new OffsetAndMetadata(2)));

        assertTrue(producer.flushed(), "every send completed");
        assertEquals(List.of(Rig.RESULTS, Rig.RESULTS, Rig.STATE),
                producer.history().stream().map(ProducerRecord::topic).toList(), "results before the state");
        assertEquals(new OffsetAndMetadata(2), consumer.committed(Set.of(Rig.tp(1))).get(Rig.tp(1)));
    }

    @Test
    void shouldNotWriteStateOrCommitOffsetsWhenAResultSendFailed() throws Exception {
        consumer.assign(List.of(Rig.tp(1)));
        lanes.submit(TestLanes.work(1, 0, "AAPL"));
        lanes.handOver(() -> 1_000_000L, w -> { });
        lanes.runOnEveryLane(lane -> { });
        producer.errorNext(new RuntimeException("expired"));
        assertThrows(KafkaException.class, () -> protocol.commit(Map.of(Rig.tp(1), new OffsetAndMetadata(1))));
        assertEquals(List.of(Rig.RESULTS), producer.history().stream().map(ProducerRecord::topic).toList());
        assertEquals(Map.of(), consumer.committed(Set.of(Rig.tp(1))));
        assertEquals(1.0, metrics.sendFailures.labelValues("results").get());
    }
}
