package io.tickflow.indicator;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.tickflow.indicator.ProcessingGuarantee.AT_LEAST_ONCE;
import static io.tickflow.indicator.ProcessingGuarantee.EXACTLY_ONCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The poll loop on MockConsumer/MockProducer with a manual clock: commit, abort-and-rewind, a failed send. */
class IndicatorProcessorTest {

    /** What an uninterrupted exactly-once run writes for {@code count} ticks of AAPL on partition 0. */
    private static List<String> uninterrupted(final int count) throws Exception {
        try (Rig rig = new Rig(EXACTLY_ONCE)) {
            rig.assign(0);
            rig.ticks(0, "AAPL", count);
            rig.step();
            rig.commitTurn();
            return rig.results("AAPL");
        }
    }

    @Test
    void shouldCommitResultsStateAndOffsetsInOneTransactionWhenTheIntervalIsDue() throws Exception {
        try (Rig rig = new Rig(EXACTLY_ONCE)) {
            rig.assign(0);
            rig.ticks(0, "AAPL", 3);
            rig.step();
            assertEquals(0, rig.producer.commitCount(), "not due yet");
            rig.nanos.addAndGet(Rig.INTERVAL.toNanos() - 1);
            rig.step();
            assertEquals(0, rig.producer.commitCount(), "one nanosecond short of the interval");
            rig.commitTurn();
            assertEquals(1, rig.producer.commitCount());
            assertEquals(List.of(1L, 2L, 3L), rig.results("AAPL").stream().map(Rig::seqOf).toList());
            assertEquals(1, rig.stateRecords().size(), "one state record per stock per commit");
            assertEquals(3L, rig.committed(0).offset());
            assertEquals(1.0, rig.counter(rig.metrics.transactions, "committed"));
            rig.commitTurn();
            assertEquals(1, rig.producer.commitCount(), "an interval opens at its first record, not before");
        }
    }

    @Test
    void shouldRewindToTheCommittedOffsetsAndStateWhenTheCommitFails() throws Exception {
        final List<String> expected = uninterrupted(6);
        try (Rig rig = new Rig(EXACTLY_ONCE)) {
            rig.assign(0);
            rig.ticks(0, "AAPL", 3);
            rig.step();
            rig.commitTurn();
            rig.ticks(0, "AAPL", 3);
            rig.step();
            rig.producer.commitTransactionException = new TimeoutException("commit timed out");
            rig.commitTurn();

            assertTrue(rig.producer.transactionAborted());
            assertEquals(1.0, rig.counter(rig.metrics.transactions, "aborted"));
            assertEquals(3L, rig.consumer.position(Rig.tp(0)), "rewound to the committed offset");
            assertEquals(3L, rig.committed(0).offset());
            assertEquals(3, rig.results("AAPL").size(), "nothing of the aborted interval is visible");

            rig.producer.commitTransactionException = null;
            rig.step(); // redone from offset 3 on the state of seq 3, reloaded from the changelog
            rig.commitTurn();
            assertEquals(expected, rig.results("AAPL"), "the redo is bit-identical to an uninterrupted run");
            assertEquals(6L, rig.committed(0).offset());
        }
    }

    @Test
    void shouldAbortTheIntervalWhenASendFailsInExactlyOnceMode() throws Exception {
        final List<String> expected = uninterrupted(4);
        try (Rig rig = new Rig(EXACTLY_ONCE)) {
            rig.assign(0);
            rig.ticks(0, "AAPL", 4);
            rig.producer.failNextResult(new TimeoutException("record expired"));
            rig.step();
            rig.commitTurn();

            assertEquals(0, rig.producer.commitCount());
            assertTrue(rig.producer.transactionAborted());
            assertEquals(1.0, rig.counter(rig.metrics.sendFailures, "results"));
            assertEquals(1.0, rig.counter(rig.metrics.transactions, "aborted"));
            assertNull(rig.committed(0));
            assertEquals(0L, rig.consumer.position(Rig.tp(0)), "no committed offset: rewound to the beginning");

            rig.step();
            rig.commitTurn();
            assertEquals(expected, rig.results("AAPL"), "the next interval is not failed by the old error");
            assertEquals(4L, rig.committed(0).offset());
        }
    }

    @Test
    void shouldRedoTheIntervalWithIdenticalResultsWhenASendFailsInAtLeastOnceMode() throws Exception {
        try (Rig rig = new Rig(AT_LEAST_ONCE)) {
            rig.assign(0);
            rig.ticks(0, "AAPL", 4);
            rig.producer.failNextResult(new TimeoutException("record expired"));
            rig.step();
            rig.commitTurn();

            assertNull(rig.committed(0), "offsets are not committed past a failed send");
            assertEquals(1.0, rig.counter(rig.metrics.transactions, "aborted"));
            assertEquals(List.of(2L, 3L, 4L), rig.results("AAPL").stream().map(Rig::seqOf).toList(),
                    "written at once, the failed one missing");
            final List<String> firstTry = rig.results("AAPL");

            rig.step();
            rig.commitTurn();
            assertEquals(4L, rig.committed(0).offset());
            final List<String> all = rig.results("AAPL");
            assertEquals(List.of(2L, 3L, 4L, 1L, 2L, 3L, 4L), all.stream().map(Rig::seqOf).toList());
            assertEquals(firstTry, all.subList(4, 7), "a repeated seq repeats the same result");
            assertFalse(rig.stateRecords().isEmpty());
        }
    }

    @Test
    void shouldCommitTheOpenIntervalWhenShutDown() throws Exception {
        final Rig rig = new Rig(EXACTLY_ONCE);
        rig.assign(0);
        rig.ticks(0, "AAPL", 2);
        rig.step();
        rig.close();
        assertEquals(1, rig.producer.commitCount());
        assertEquals(2L, rig.committedByTransaction(0));
        assertTrue(rig.producer.closed());
        assertTrue(rig.consumer.closed());
    }

    @Test
    void shouldContinueSeqAndValuesFromTheChangelogWhenRestartedElsewhere() throws Exception {
        final List<String> expected = uninterrupted(8);
        final List<ProducerRecord<byte[], byte[]>> changelog;
        final long committed;
        try (Rig first = new Rig(EXACTLY_ONCE)) {
            first.assign(0);
            first.ticks(0, "AAPL", 5);
            first.step();
            first.commitTurn();
            changelog = first.stateRecords();
            committed = first.committed(0).offset();
        }
        try (Rig second = new Rig(EXACTLY_ONCE, io.tickflow.indicator.ta.EngineSpec.DEFAULT, changelog)) {
            second.consumer.commitSync(java.util.Map.of(Rig.tp(0),
                    new org.apache.kafka.clients.consumer.OffsetAndMetadata(committed)));
            second.ticks(0, "AAPL", 8);
            second.assign(0);
            assertTrue(second.processor.ready(), "restored before the first poll");
            assertEquals(1.0, second.metrics.statesRestored.get());
            second.step();
            second.commitTurn();
            assertEquals(expected.subList(5, 8), second.results("AAPL"));
        }
    }
}
