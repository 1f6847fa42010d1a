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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransactionalCommitProtocolTest {
    private final IndicatorMetrics metrics = new IndicatorMetrics(new PrometheusRegistry());
    private final SendFailures failures = new SendFailures(metrics.sendFailures);
    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
            new ByteArraySerializer());
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final WorkerLanes<LaneProcessor.Work, LaneProcessor> lanes = TestLanes.of(producer, metrics, failures);
    private final TransactionalCommitProtocol protocol = new TransactionalCommitProtocol(producer, consumer, lanes,
            failures, MarkerWait.NONE, new CommittedPoint());

    @AfterEach
    void closeLanes() {
        lanes.close();
    }

    private void process(final LaneProcessor.Work... work) throws InterruptedException {
        for (LaneProcessor.Work w : work) {
            lanes.submit(w);
        }
        lanes.handOver(() -> 1_000_000L, w -> { });
    }

    @Test
    void shouldCommitResultsStateAndOffsetsInTheTransactionWhenCommitted() throws Exception {
        protocol.init();
        assertTrue(producer.transactionInitialized());
        protocol.begin();
        process(TestLanes.work(0, 0, "AAPL"), TestLanes.work(0, 1, "AAPL"), TestLanes.work(0, 2, "MSFT"));
        protocol.commit(Map.of(Rig.tp(0), new OffsetAndMetadata(3)));

        assertTrue(producer.transactionCommitted());
        final List<String> topics = producer.history().stream().map(ProducerRecord::topic).toList();
        assertEquals(3, topics.stream().filter(Rig.RESULTS::equals).count());
        assertEquals(2, topics.stream().filter(Rig.STATE::equals).count(), "one state record per stock");
        assertEquals(List.of(Map.of(consumer.groupMetadata().groupId(), Map.of(Rig.tp(0), new OffsetAndMetadata(3)))),
                producer.consumerGroupOffsetsHistory());
    }

    @Test
    void shouldNotCommitWhenASendOfTheIntervalFailed() throws Exception {
        protocol.init();
        protocol.begin();
        process(TestLanes.work(0, 0, "AAPL"));
        failures.sendFailed("results", new RuntimeException("expired"));
        assertThrows(KafkaException.class, () -> protocol.commit(Map.of(Rig.tp(0), new OffsetAndMetadata(1))));
        assertFalse(producer.transactionCommitted());
        assertFalse(producer.sentOffsets());
        protocol.abort();
        assertTrue(producer.transactionAborted());
        assertEquals(List.of(), producer.history());
    }
}
