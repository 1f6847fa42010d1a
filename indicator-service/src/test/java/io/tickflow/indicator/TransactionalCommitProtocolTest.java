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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransactionalCommitProtocolTest {
    private final IndicatorMetrics metrics = new IndicatorMetrics(new PrometheusRegistry());
    private final SendFailures failures = new SendFailures(metrics.sendFailures);
    /** The two clients used in turn; {@link #producer} is the first, whose transaction the single-interval tests see. */
    private final List<MockProducer<byte[], byte[]>> clients = List.of(mock(), mock());
    private final MockProducer<byte[], byte[]> producer = clients.get(0);
    private final RenewableProducer pair = new RenewableProducer(clients::get, 2);
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final WorkerLanes<LaneProcessor.Work, LaneProcessor> lanes = TestLanes.of(pair, metrics, failures);
    private final List<String> markerCalls = new ArrayList<>();
    private final TransactionalCommitProtocol protocol = new TransactionalCommitProtocol(pair, consumer, lanes,
            failures, new MarkerWait() {
                @Override
                public void ended(final int slot) {
                    markerCalls.add("ended " + slot);
                }

                @Override
                public void awaitPreviousTransaction(final int slot) {
                    markerCalls.add("await " + slot);
                }
            }, new CommittedPoint());

    private static MockProducer<byte[], byte[]> mock() {
        return new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

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

    @Test
    void shouldRunEachTransactionOnTheOtherClientAndWaitForThatClientsMarkers() throws Exception {
        protocol.init();
        assertTrue(clients.get(0).transactionInitialized() && clients.get(1).transactionInitialized());
        for (int n = 0; n < 3; n++) {
            protocol.begin();
            process(TestLanes.work(0, n, "AAPL"));
            protocol.commit(Map.of(Rig.tp(0), new OffsetAndMetadata(n + 1)));
        }
        assertEquals(List.of("await 0", "ended 0", "await 1", "ended 1", "await 0", "ended 0"), markerCalls);
        assertEquals(List.of(1L, 3L), clients.get(0).consumerGroupOffsetsHistory().stream()
                .map(o -> o.values().iterator().next().get(Rig.tp(0)).offset()).toList(), "intervals 1 and 3");
        assertEquals(List.of(2L), clients.get(1).consumerGroupOffsetsHistory().stream()
                .map(o -> o.values().iterator().next().get(Rig.tp(0)).offset()).toList(), "interval 2");
        assertEquals(List.of(Rig.RESULTS, Rig.STATE), clients.get(1).history().stream().map(ProducerRecord::topic)
                .toList(), "interval 2's result and state went to the second client");
    }

    @Test
    void shouldAbortOnTheClientThatHoldsTheIntervalAndStartTheNextOnTheOther() throws Exception {
        protocol.init();
        protocol.begin();
        process(TestLanes.work(0, 0, "AAPL"));
        protocol.abort();
        assertTrue(clients.get(0).transactionAborted());
        protocol.begin();
        process(TestLanes.work(0, 0, "AAPL"));
        protocol.commit(Map.of(Rig.tp(0), new OffsetAndMetadata(1)));
        assertTrue(clients.get(1).transactionCommitted());
        assertEquals(List.of("await 0", "ended 0", "await 1", "ended 1"), markerCalls);
    }
}
