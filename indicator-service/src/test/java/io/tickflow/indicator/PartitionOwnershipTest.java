package io.tickflow.indicator;

import io.tickflow.indicator.ta.EngineSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.tickflow.indicator.ProcessingGuarantee.AT_LEAST_ONCE;
import static io.tickflow.indicator.ProcessingGuarantee.EXACTLY_ONCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rebalances through the MockConsumer's listener: revoke-then-commit, lost-then-abort, restore-then-resume. */
class PartitionOwnershipTest {

    @Test
    void shouldCommitTheOpenIntervalWhileThePartitionsAreStillOursWhenRevoked() throws Exception {
        try (Rig rig = new Rig(EXACTLY_ONCE)) {
            rig.assign(0, 1);
            rig.ticks(0, "AAPL", 3);
            rig.ticks(1, "MSFT", 2);
            rig.step();
            assertEquals(0, rig.producer.commitCount());

            rig.assign(1); // partition 0 is revoked, before the interval was due

            assertEquals(1, rig.producer.commitCount(), "committed inside onPartitionsRevoked");
            assertEquals(3L, rig.committedByTransaction(0));
            assertEquals(2L, rig.committedByTransaction(1));
            assertEquals(List.of(1L, 2L, 3L), rig.results("AAPL").stream().map(Rig::seqOf).toList());
            assertEquals(2, rig.stateRecords().size());
            assertTrue(rig.processor.ready());

            rig.ticks(1, "MSFT", 1);
            rig.step();
            rig.commitTurn();
            assertEquals(List.of(1L, 2L, 3L), rig.results("MSFT").stream().map(Rig::seqOf).toList(),
                    "the kept partition carries on");
        }
    }

    @Test
    void shouldForgetTheStocksOfRevokedPartitionsAndRestoreThemWhenAssignedAgain() throws Exception {
        try (Rig rig = new Rig(AT_LEAST_ONCE)) {
            rig.assign(0, 1);
            rig.ticks(0, "AAPL", 3);
            rig.step();
            rig.commitTurn();
            rig.assign(1);
            assertEquals(0.0, rig.metrics.statesRestored.get());
            rig.assign(0, 1);
            assertEquals(1.0, rig.metrics.statesRestored.get(), "AAPL comes back from the changelog");
            rig.ticks(0, "AAPL", 1);
            rig.step();
            rig.commitTurn();
            assertEquals(List.of(1L, 2L, 3L, 4L), rig.results("AAPL").stream().map(Rig::seqOf).toList());
        }
    }

    @Test
    void shouldAbortTheIntervalAndRewindTheKeptPartitionsWhenPartitionsAreLost() throws Exception {
        try (Rig rig = new Rig(EXACTLY_ONCE)) {
            rig.assign(0, 1);
            rig.ticks(0, "AAPL", 3);
            rig.ticks(1, "MSFT", 2);
            rig.step();
            rig.commitTurn();
            rig.ticks(0, "AAPL", 2);
            rig.ticks(1, "MSFT", 2);
            rig.step();

            rig.lose(List.of(Rig.tp(0)));

            assertTrue(rig.producer.transactionAborted());
            assertEquals(1, rig.producer.commitCount(), "nothing of the open interval is committed");
            assertEquals(1.0, rig.counter(rig.metrics.transactions, "aborted"));
            assertEquals(2L, rig.consumer.position(Rig.tp(1)), "the kept partition is rewound to its commit");
            assertEquals(List.of(1L, 2L), rig.results("MSFT").stream().map(Rig::seqOf).toList());

            rig.assign(1); // the group hands out what is left
            rig.step();
            rig.commitTurn();
            assertEquals(List.of(1L, 2L, 3L, 4L), rig.results("MSFT").stream().map(Rig::seqOf).toList(),
                    "redone once from the committed state");
            assertEquals(4L, rig.committed(1).offset());
            assertEquals(List.of(1L, 2L, 3L), rig.results("AAPL").stream().map(Rig::seqOf).toList());
        }
    }

    @Test
    void shouldRewindToItsOwnLastCommitWhenTheGroupCoordinatorDoesNotAnswerTheOffsetFetch() throws Exception {
        try (Rig rig = new Rig(EXACTLY_ONCE)) {
            rig.assign(0, 1);
            rig.ticks(0, "AAPL", 3);
            rig.ticks(1, "MSFT", 2);
            rig.step();
            rig.commitTurn();
            rig.ticks(1, "MSFT", 2);
            rig.step();
            rig.consumer.committedFailure = new TimeoutException("committed offsets could not be determined");

            rig.lose(List.of(Rig.tp(0)));

            assertEquals(2L, rig.consumer.position(Rig.tp(1)), "rewound to the offset its last commit committed");
            rig.step();
            rig.commitTurn();
            assertEquals(List.of(1L, 2L, 3L, 4L), rig.results("MSFT").stream().map(Rig::seqOf).toList(),
                    "redone once from the committed state");
            rig.consumer.committedFailure = null;
            assertEquals(4L, rig.committed(1).offset());
        }
    }

    @Test
    void shouldRestoreTheStateBeforeTheFirstTickThenResumeWhenAssigned() throws Exception {
        final List<ProducerRecord<byte[], byte[]>> changelog;
        try (Rig first = new Rig(AT_LEAST_ONCE)) {
            first.assign(0);
            first.ticks(0, "AAPL", 3);
            first.step();
            first.commitTurn();
            changelog = first.stateRecords();
        }
        try (Rig second = new Rig(AT_LEAST_ONCE, EngineSpec.DEFAULT, changelog)) {
            assertFalse(second.processor.ready(), "not ready before the group is joined");
            second.consumer.commitSync(Map.of(Rig.tp(0), new OffsetAndMetadata(2L))); // the state covers more
            second.ticks(0, "AAPL", 4);
            second.assign(0);
            assertTrue(second.processor.ready());
            second.step();
            second.commitTurn();
            assertEquals(1.0, second.metrics.replaySkipped.get(), "offset 2 is in the restored state already");
            assertEquals(List.of(4L), second.results("AAPL").stream().map(Rig::seqOf).toList());
        }
    }

    @Test
    void shouldCountTheSnapshotsThatCannotBeRestoredWhenTheIndicatorsChanged() throws Exception {
        final List<ProducerRecord<byte[], byte[]>> changelog;
        try (Rig first = new Rig(EXACTLY_ONCE, "sma:5", List.of())) {
            first.assign(0);
            first.ticks(0, "AAPL", 3);
            first.ticks(0, "MSFT", 3);
            first.step();
            first.commitTurn();
            changelog = first.stateRecords();
        }
        try (Rig second = new Rig(EXACTLY_ONCE, "ema:5", changelog)) {
            second.assign(0);
            assertEquals(2.0, second.metrics.statesRestored.get());
            assertEquals(2.0, second.metrics.snapshotsUnrestorable.get());
        }
    }
}
