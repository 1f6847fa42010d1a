package io.tickflow.delivery;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The result feed's consumer handling reused for bars, broker-free: bad records are counted and skipped. */
class BarFeedTest {
    private static final String TOPIC = "indicator_bars";

    @Test
    void shouldSkipAndCountMalformedBarsAndKeepReadingWhenRecordsAreBad() throws Exception {
        final BarMetrics metrics = new BarMetrics(new PrometheusRegistry());
        final BarBook book = new BarBook(List.of("1m"), 10, 100, metrics);
        final MockConsumer<byte[], byte[]> consumer = TestConsumers.onePartition(TOPIC);
        final TopicPartition tp = new TopicPartition(TOPIC, 0);
        final byte[][] values = {
            TestBars.fin("AAPL", 1),
            "{".getBytes(StandardCharsets.UTF_8),
            null,
            TestBars.bar("AAPL", "7m", 2, 2, true, 1, ""),
            TestBars.fin("AAPL", 2),
            TestBars.fin("AAPL", 2),
            TestBars.forming("AAPL", 3, 4),
        };
        consumer.schedulePollTask(() -> {
            for (int i = 0; i < values.length; i++) {
                consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, i, "AAPL".getBytes(StandardCharsets.UTF_8),
                        values[i]));
            }
        });
        try (ResultFeed feed = new ResultFeed(consumer, TOPIC, 100, book, "delivery-bars")) {
            feed.start();
            SlowClientTest.awaitTrue(() -> {
                final List<byte[]> bars = book.bars("AAPL", "1m", 10, Long.MAX_VALUE, Long.MAX_VALUE);
                return bars != null && bars.size() == 3;
            });
            assertTrue(feed.isRunning(), "bad records do not stop the feed");
            assertTrue(feed.isWarm());
        }
        assertEquals(1, metrics.rejectedFor("json"));
        assertEquals(1, metrics.rejectedFor("tombstone"));
        assertEquals(1, metrics.rejectedFor("interval"));
        assertEquals(1, metrics.duplicates());
        assertEquals(3, metrics.barsIn(), "final 1, final 2 and the forming bar");
    }
}
