package io.tickflow.delivery;

import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.util.List;
import java.util.Map;

/** MockConsumers shaped like the feeds' topics in the unit tests. */
final class TestConsumers {
    private TestConsumers() {
    }

    /** A consumer that knows {@code topic} as one empty partition, 0. */
    static MockConsumer<byte[], byte[]> onePartition(final String topic) {
        final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        final TopicPartition tp = new TopicPartition(topic, 0);
        consumer.updatePartitions(topic, List.of(new PartitionInfo(topic, 0, Node.noNode(), new Node[0],
                new Node[0])));
        consumer.updateBeginningOffsets(Map.of(tp, 0L));
        consumer.updateEndOffsets(Map.of(tp, 0L));
        return consumer;
    }
}
