package io.tickflow.indicator;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CommittedPointTest {
    private static final TopicPartition P0 = new TopicPartition("ticks", 0);
    private static final TopicPartition P1 = new TopicPartition("ticks", 1);
    private final CommittedPoint point = new CommittedPoint();

    @Test
    void shouldKnowTheOffsetsOfTheLastSuccessfulCommitOfEachPartition() {
        point.committing();
        point.committed(Map.of(P0, new OffsetAndMetadata(5), P1, new OffsetAndMetadata(7)));
        point.committing();
        point.committed(Map.of(P0, new OffsetAndMetadata(9)));

        assertEquals(Map.of(P0, 9L, P1, 7L), point.known(List.of(P0, P1)));
    }

    @Test
    void shouldKnowNothingWhileACommitIsInDoubtUntilTheCoordinatorSays() {
        point.committed(Map.of(P0, new OffsetAndMetadata(5)));
        point.committing(); // commitTransaction failed, the abort was refused

        assertEquals(Map.of(), point.known(List.of(P0)));
        point.learned(Map.of(P0, 8L));
        assertEquals(Map.of(P0, 8L), point.known(List.of(P0)));
    }

    @Test
    void shouldKeepThePointWhenTheTransactionWasAborted() {
        point.committed(Map.of(P0, new OffsetAndMetadata(5)));
        point.committing();
        point.aborted();

        assertEquals(Map.of(P0, 5L), point.known(List.of(P0)));
    }

    @Test
    void shouldNotKnowAPartitionNotCommittedSinceItWasAssigned() {
        point.committed(Map.of(P0, new OffsetAndMetadata(5), P1, new OffsetAndMetadata(7)));
        point.forget(List.of(P1));

        assertEquals(Map.of(P0, 5L), point.known(List.of(P0, P1)));
    }
}
