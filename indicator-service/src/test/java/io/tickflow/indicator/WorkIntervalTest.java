package io.tickflow.indicator;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkIntervalTest {
    /**
     * Records the calls; {@code commit} throws {@link #failCommit} when set, and returns {@link #completion} when set
     * (else a completed one). Like the transactional protocol it puts the point in doubt when it hands a commit over
     * and clears the doubt with each abort it makes; {@code abortCommitted} throws {@link #failAbortCommitted} when set
     * (the refusal after a commit that timed out).
     */
    private static final class RecordingProtocol implements CommitProtocol {
        final List<String> calls = new ArrayList<>();
        final List<Map<TopicPartition, OffsetAndMetadata>> committed = new ArrayList<>();
        final CommittedPoint point;
        RuntimeException failCommit;
        RuntimeException failAbortCommitted;
        CompletableFuture<Void> completion;

        RecordingProtocol(final CommittedPoint point) {
            this.point = point;
        }

        @Override
        public void init() {
            calls.add("init");
        }

        @Override
        public void begin() {
            calls.add("begin");
        }

        @Override
        public CompletableFuture<Void> commit(final Map<TopicPartition, OffsetAndMetadata> offsets) {
            calls.add("commit");
            if (failCommit != null) {
                throw failCommit;
            }
            committed.add(Map.copyOf(offsets));
            point.committing();
            return completion == null ? CompletableFuture.completedFuture(null) : completion;
        }

        @Override
        public void abort() {
            calls.add("abort");
            point.aborted();
        }

        @Override
        public void abortCommitted() {
            calls.add("abortCommitted");
            if (failAbortCommitted != null) {
                throw failAbortCommitted;
            }
            point.aborted();
        }

        @Override
        public void close() {
            calls.add("close");
        }
    }

    private final AtomicLong nanos = new AtomicLong(-7_000L); // any origin, even a negative one
    private final IndicatorMetrics metrics = new IndicatorMetrics(new PrometheusRegistry());
    private final SendFailures failures = new SendFailures(metrics.sendFailures);
    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
            new ByteArraySerializer());
    private final WorkerLanes<LaneProcessor.Work, LaneProcessor> lanes = TestLanes.of(producer, metrics, failures);

    private final PoisonRecords poison = new PoisonRecords(3);
    private final ProgressWatch progress = new ProgressWatch(nanos::get, Duration.ofSeconds(30));
    private final CommittedPoint point = new CommittedPoint();
    private final RecordingProtocol protocol = new RecordingProtocol(point);
    private final WorkInterval interval = new WorkInterval(protocol, lanes, failures, metrics, poison, progress,
            nanos::get, Duration.ofMillis(100), point);

    @AfterEach
    void closeLanes() {
        lanes.close();
    }

    @Test
    void shouldBeginOnceAndComeDueAfterItsLengthOnTheInjectedClockWhenOpened() throws Exception {
        assertEquals(Duration.ofMillis(100), interval.pollTimeout(Duration.ofMillis(100)));
        assertFalse(interval.due());
        interval.open();
        interval.open();
        assertEquals(List.of("begin"), protocol.calls);
        nanos.addAndGet(Duration.ofMillis(60).toNanos());
        assertEquals(Duration.ofMillis(40), interval.pollTimeout(Duration.ofSeconds(5)));
        assertFalse(interval.due());
        nanos.addAndGet(Duration.ofMillis(40).toNanos());
        assertTrue(interval.due());
        nanos.addAndGet(Duration.ofMillis(40).toNanos());
        assertEquals(0L, interval.remainingNanos(), "overdue is 0, never negative");
    }

    @Test
    void shouldCommitTheNextOffsetOfTheLastRecordOfEachPartitionHandedOverWhenCommitted() throws Exception {
        interval.open();
        interval.handedOver(TestLanes.work(0, 4, "AAPL"));
        interval.handedOver(TestLanes.work(0, 5, "AAPL"));
        interval.handedOver(TestLanes.work(2, 9, "MSFT"));
        assertTrue(interval.commit());
        assertEquals(List.of(Map.of(Rig.tp(0), new OffsetAndMetadata(6), Rig.tp(2), new OffsetAndMetadata(10))),
                protocol.committed);
        assertFalse(interval.isOpen());
        assertEquals(1.0, metrics.transactions.labelValues("committed").get());
        assertTrue(interval.commit(), "nothing open: nothing to do");
        assertEquals(List.of("begin", "commit"), protocol.calls);
    }

    @Test
    void shouldLeaveOutTheOffsetsOfForgottenPartitionsWhenCommitted() throws Exception {
        interval.open();
        interval.handedOver(TestLanes.work(0, 4, "AAPL"));
        interval.handedOver(TestLanes.work(1, 2, "MSFT"));
        interval.forget(List.of(Rig.tp(0)));
        interval.commit();
        assertEquals(List.of(Map.of(Rig.tp(1), new OffsetAndMetadata(3))), protocol.committed);
    }

    @Test
    void shouldAbortClearAndReturnFalseWhenTheCommitFailsAbortably() throws Exception {
        interval.open();
        interval.handedOver(TestLanes.work(0, 4, "AAPL"));
        failures.sendFailed("results", new RuntimeException("lost"));
        protocol.failCommit = new KafkaException("a send of this interval failed");
        assertFalse(interval.commit());
        assertEquals(List.of("begin", "commit", "abort"), protocol.calls);
        assertFalse(interval.isOpen());
        assertDoesNotThrow(failures::throwIfAny, "the aborted interval's failures are forgotten");
        assertEquals(1.0, metrics.transactions.labelValues("aborted").get());

        protocol.failCommit = null;
        interval.open();
        interval.handedOver(TestLanes.work(0, 7, "AAPL"));
        interval.commit();
        assertEquals(List.of(Map.of(Rig.tp(0), new OffsetAndMetadata(8))), protocol.committed,
                "the aborted offsets are gone");
    }

    @Test
    void shouldRethrowAndStayOpenWhenTheCommitFailsFatallyOrIsWokenUp() throws Exception {
        interval.open();
        protocol.failCommit = new ProducerFencedException("fenced");
        assertThrows(ProducerFencedException.class, interval::commit);
        assertTrue(interval.isOpen());
        protocol.failCommit = new WakeupException();
        assertThrows(WakeupException.class, interval::commit);
        assertTrue(interval.isOpen(), "shutdown commits it");
        assertEquals(0.0, metrics.transactions.labelValues("aborted").get());
        interval.abandon();
        assertFalse(interval.isOpen());
        assertEquals("abort", protocol.calls.get(protocol.calls.size() - 1));
    }

    @Test
    void shouldLetTheNextIntervalOpenWhileTheCommitIsInFlightAndCountItOnceItLands() throws Exception {
        protocol.completion = new CompletableFuture<>();
        interval.open();
        interval.handedOver(TestLanes.work(0, 4, "AAPL"));
        assertTrue(interval.commitInBackground());
        assertFalse(interval.isOpen());
        assertFalse(interval.landed());
        assertTrue(point.known(List.of(Rig.tp(0))).isEmpty(), "not committed until it lands");
        assertEquals(0.0, metrics.transactions.labelValues("committed").get());

        interval.open();
        interval.handedOver(TestLanes.work(0, 5, "AAPL"));
        nanos.addAndGet(Duration.ofMillis(30).toNanos());
        protocol.completion.complete(null);
        assertTrue(interval.landed());
        assertTrue(interval.settle());
        assertFalse(interval.landed());
        assertEquals(Map.of(Rig.tp(0), 5L), point.known(List.of(Rig.tp(0))));
        assertEquals(1.0, metrics.transactions.labelValues("committed").get());
        assertEquals(0.030, metrics.commitDuration.collect().getDataPoints().get(0).getSum(), 1e-9,
                "from the start of the commit to the end of its completion");
        assertTrue(interval.isOpen(), "the next interval is untouched");
        assertEquals(List.of("begin", "commit", "begin"), protocol.calls);
    }

    @Test
    void shouldAbortTheFailedCommitInFlightAndTheIntervalOpenOnTopOfItWhenTheNextCommits() throws Exception {
        point.committed(Map.of(Rig.tp(0), new OffsetAndMetadata(4)));
        commitOffset4InFlightWithTheNextIntervalOpen();
        interval.handedOver(TestLanes.work(0, 5, "AAPL"));
        protocol.completion.completeExceptionally(new KafkaException("offsets refused"));

        assertFalse(interval.commitInBackground());
        assertEquals(List.of("begin", "commit", "begin", "abortCommitted", "abort"), protocol.calls,
                "the next interval is not committed on top of the failed one; the failed one is aborted first");
        assertFalse(interval.isOpen());
        assertEquals(2.0, metrics.transactions.labelValues("aborted").get());
        assertEquals(Map.of(Rig.tp(0), 4L), point.known(List.of(Rig.tp(0))), "the rewind goes back to before both");

        protocol.completion = null;
        interval.open();
        interval.handedOver(TestLanes.work(0, 4, "AAPL"));
        assertTrue(interval.commit());
        assertEquals(Map.of(Rig.tp(0), new OffsetAndMetadata(5)), protocol.committed.get(1),
                "only what was handed over since");
    }

    @Test
    void shouldKeepTheCommitInDoubtWhenItsAbortIsRefused() throws Exception {
        point.committed(Map.of(Rig.tp(0), new OffsetAndMetadata(4)));
        commitOffset4InFlightWithTheNextIntervalOpen();
        protocol.completion.completeExceptionally(new TimeoutException("EndTxn"));
        protocol.failAbortCommitted = new IllegalStateException("the commit timed out and must be retried");

        assertThrows(IllegalStateException.class, interval::settle);
        assertEquals(List.of("begin", "commit", "begin", "abortCommitted"), protocol.calls,
                "the open interval is the recovery's to discard, without an abort that would clear the doubt");
        assertTrue(point.known(List.of(Rig.tp(0))).isEmpty(), "the rewind asks the coordinator");
        assertTrue(interval.isOpen());
        assertEquals(1.0, metrics.transactions.labelValues("aborted").get());
    }

    @Test
    void shouldLeaveAFatalFailureInFlightToTheCallerAndCountAGoodOneWhenDiscarded() throws Exception {
        commitOffset4InFlightWithTheNextIntervalOpen();
        protocol.completion.completeExceptionally(new ProducerFencedException("fenced"));
        assertThrows(ProducerFencedException.class, interval::settle);
        assertTrue(interval.isOpen(), "the recovery discards it");
        assertTrue(point.known(List.of(Rig.tp(0))).isEmpty(), "in doubt: the renewal ends it, then the coordinator says");
        interval.discard(new KafkaException("recovering"));
        assertEquals(List.of("begin", "commit", "begin"), protocol.calls, "the renewal ends both transactions");
        assertEquals(2.0, metrics.transactions.labelValues("aborted").get(), "the failed commit and the discarded one");

        protocol.completion = new CompletableFuture<>();
        interval.open();
        interval.handedOver(TestLanes.work(0, 6, "AAPL"));
        interval.commitInBackground();
        protocol.completion.complete(null);
        interval.discard(new KafkaException("a later failure"));
        assertEquals(Map.of(Rig.tp(0), 7L), point.known(List.of(Rig.tp(0))), "what went through stays committed");
    }

    @Test
    void shouldWaitForTheCommitInFlightWhenAbandoned() throws Exception {
        commitOffset4InFlightWithTheNextIntervalOpen();
        final CompletableFuture<Void> inFlight = protocol.completion;
        final Thread lander = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.complete(null);
        });
        lander.start();
        interval.abandon();
        lander.join();
        assertEquals(Map.of(Rig.tp(0), 5L), point.known(List.of(Rig.tp(0))), "it landed before the producer goes");
        assertEquals(List.of("begin", "commit", "begin", "abort"), protocol.calls);
    }

    /** Interval 1 (offset 4 of partition 0) handed to the committer, not landed; interval 2 open on top of it. */
    private void commitOffset4InFlightWithTheNextIntervalOpen() throws InterruptedException {
        protocol.completion = new CompletableFuture<>();
        interval.open();
        interval.handedOver(TestLanes.work(0, 4, "AAPL"));
        interval.commitInBackground();
        interval.open();
    }
}
