package io.tickflow.indicator;

import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ConsumerInflowTest {
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final ConsumerInflow inflow = new ConsumerInflow(consumer);

    @Test
    void shouldPauseEveryAssignedPartitionIncludingNewOnesWhenPaused() {
        consumer.assign(List.of(Rig.tp(0)));
        inflow.pause();
        consumer.assign(List.of(Rig.tp(0), Rig.tp(1)));
        inflow.pause();
        assertEquals(Set.of(Rig.tp(0), Rig.tp(1)), consumer.paused());
    }

    @Test
    void shouldResumeThePausedPartitionsWhenResumed() {
        consumer.assign(List.of(Rig.tp(0), new TopicPartition(Rig.TICKS, 1)));
        inflow.resume();
        assertEquals(Set.of(), consumer.paused(), "nothing paused: a no-op");
        inflow.pause();
        inflow.resume();
        assertEquals(Set.of(), consumer.paused());
    }
}
