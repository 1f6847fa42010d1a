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
import java.util.concurrent.CompletableFuture;

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
    private final ManualExecutor committer = new ManualExecutor();
    private final CommittedPoint point = new CommittedPoint();
    private final TransactionalCommitProtocol protocol = new TransactionalCommitProtocol(pair, consumer, lanes,
            failures, new MarkerWait() {
                @Override
                public void ended(final int slot) {
                    markerCalls.add("ended " + slot);
                }

                @Override
                public void awaitWritten(final int slot) {
                    markerCalls.add("await " + slot);
                }
            }, point, committer);

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
        final CompletableFuture<Void> completion = protocol.commit(Map.of(Rig.tp(0), new OffsetAndMetadata(3)));
        committer.runAll();

        assertTrue(completion.isDone() && !completion.isCompletedExceptionally());
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
    void shouldRunEachTransactionOnTheOtherClientAndCompleteACommitOnceItsMarkersAreWritten() throws Exception {
        protocol.init();
        assertTrue(clients.get(0).transactionInitialized() && clients.get(1).transactionInitialized());
        for (int n = 0; n < 3; n++) {
            protocol.begin();
            process(TestLanes.work(0, n, "AAPL"));
            protocol.commit(Map.of(Rig.tp(0), new OffsetAndMetadata(n + 1)));
            committer.runAll();
        }
        assertEquals(List.of("await 0", "ended 0", "await 0", "await 1", "ended 1", "await 1", "await 0", "ended 0",
                "await 0"), markerCalls, "each begin, and each commit on the committer after it ended");
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
        committer.runAll();
        assertTrue(clients.get(1).transactionCommitted());
        assertEquals(List.of("await 0", "ended 0", "await 1", "ended 1", "await 1"), markerCalls);
    }

    @Test
    void shouldAcknowledgeTheResultsOnTheCallerAndLeaveOffsetsAndTheEndOfTheTransactionToTheCommitter() throws Exception {
        final List<MockProducer<byte[], byte[]>> acknowledgedOnFlush = List.of(
                new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer()),
                new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer()));
        final RenewableProducer slow = new RenewableProducer(acknowledgedOnFlush::get, 2);
        final WorkerLanes<LaneProcessor.Work, LaneProcessor> slowLanes = TestLanes.of(slow, metrics, failures);
        try {
            final TransactionalCommitProtocol overlapping = new TransactionalCommitProtocol(slow, consumer, slowLanes,
                    failures, MarkerWait.NONE, point, committer);
            point.committed(Map.of(Rig.tp(0), new OffsetAndMetadata(0)));
            overlapping.init();
            overlapping.begin();
            slowLanes.submit(TestLanes.work(0, 0, "AAPL"));
            slowLanes.handOver(() -> 1_000_000L, w -> { });
            final MockProducer<byte[], byte[]> first = acknowledgedOnFlush.get(0);
            final CompletableFuture<Void> completion = overlapping.commit(Map.of(Rig.tp(0),
                    new OffsetAndMetadata(1)));

            assertFalse(completion.isDone());
            assertEquals(List.of(Rig.RESULTS, Rig.STATE), first.uncommittedRecords().stream()
                    .map(ProducerRecord::topic).toList());
            assertTrue(first.completeNext(), "the state record is left to commitTransaction");
            assertFalse(first.completeNext(), "the result was acknowledged before the interval was handed on");
            assertFalse(first.sentOffsets());
            assertFalse(first.transactionCommitted());
            assertTrue(point.known(List.of(Rig.tp(0))).isEmpty(), "in doubt until the completion says");

            overlapping.begin(); // the next interval opens on the other client while the first is still committing
            slowLanes.submit(TestLanes.work(0, 1, "AAPL"));
            slowLanes.handOver(() -> 1_000_000L, w -> { });
            slowLanes.runOnEveryLane(lane -> { });
            assertTrue(acknowledgedOnFlush.get(1).transactionInFlight());
            assertEquals(List.of(Rig.RESULTS), acknowledgedOnFlush.get(1).uncommittedRecords().stream()
                    .map(ProducerRecord::topic).toList());

            committer.runAll();
            assertTrue(completion.isDone() && !completion.isCompletedExceptionally());
            assertTrue(first.sentOffsets() && first.transactionCommitted());
            assertTrue(point.known(List.of(Rig.tp(0))).isEmpty(), "the interval counts it, once it settles");
        } finally {
            slowLanes.close();
        }
    }

    @Test
    void shouldAbortTheTransactionOfAFailedCompletionOnItsOwnClient() throws Exception {
        point.committed(Map.of(Rig.tp(0), new OffsetAndMetadata(0)));
        protocol.init();
        protocol.begin();
        process(TestLanes.work(0, 0, "AAPL"));
        producer.commitTransactionException = new KafkaException("coordinator moved");
        final CompletableFuture<Void> completion = protocol.commit(Map.of(Rig.tp(0), new OffsetAndMetadata(1)));
        protocol.begin();
        committer.runAll();

        assertTrue(completion.isCompletedExceptionally());
        assertTrue(point.known(List.of(Rig.tp(0))).isEmpty(), "in doubt until the abort proves it void");
        protocol.abortCommitted();
        assertTrue(producer.transactionAborted());
        assertFalse(clients.get(1).transactionAborted(), "the other client's interval is the caller's to abort");
        assertEquals(Map.of(Rig.tp(0), 0L), point.known(List.of(Rig.tp(0))), "void: the point before it stands");
        assertEquals(List.of("await 0", "await 1", "ended 0"), markerCalls);
    }

    @Test
    void shouldCommitOnTheCallerWithOneClient() throws Exception {
        final RenewableProducer single = new RenewableProducer(clients::get, 1);
        final TransactionalCommitProtocol oneClient = new TransactionalCommitProtocol(single, consumer, lanes,
                failures, MarkerWait.NONE, point, committer);
        oneClient.init();
        oneClient.begin();
        final CompletableFuture<Void> completion = oneClient.commit(Map.of(Rig.tp(0), new OffsetAndMetadata(1)));
        assertTrue(completion.isDone());
        assertTrue(producer.transactionCommitted());
        assertEquals(0, committer.waiting());
    }
}
